/** The jobs view (placeholder until it is built). */
export function JobsView() {
  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
    </section>
  );
}
