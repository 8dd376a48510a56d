/** The analytics view (placeholder until it is built). */
export function AnalyticsView() {
  return (
    <section aria-labelledby="analytics-heading">
      <h2 id="analytics-heading">Analytics</h2>
    </section>
  );
}
