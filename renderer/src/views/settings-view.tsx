/** The settings view (placeholder until it is built). */
export function SettingsView() {
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
    </section>
  );
}
