/**
 * Settings: the embedding model and endpoint, recommendations and explanations, sync, and the data
 * folder with one student's export or deletion. Every value lives in the core, so it survives a reload.
 */
import { useStore } from 'zustand';
import { createSettingsStore } from '../stores/settings';
import { BackupSection } from './settings/backup-section';
import { DataSection } from './settings/data-section';
import { EmbeddingSection } from './settings/embedding-section';
import { RecommendSection, SyncSection } from './settings/preferences-section';
import { PrivacySection } from './settings/privacy-section';
import { useViewStore } from './use-view-store';
import './views.css';

/** The settings view. */
export function SettingsView() {
  const store = useViewStore(createSettingsStore);
  const state = useStore(store);

  return (
    <section className="view settings-view" aria-labelledby="settings-heading" aria-busy={state.loading}>
      <header className="view-header">
        <h2 id="settings-heading">Settings</h2>
      </header>
      <div className="settings-status" aria-live="polite">
        {state.notice ? <p className="notice">{state.notice}</p> : null}
      </div>
      {state.failure ? (
        <div className="view-error" role="alert">
          <p>
            {state.failure.action} failed: {state.failure.error.message}
          </p>
          <button type="button" className="secondary" onClick={state.dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {state.loading ? (
        <p className="muted">Loading settings…</p>
      ) : (
        <div className="settings-grid">
          <EmbeddingSection state={state} />
          <RecommendSection state={state} />
          <SyncSection state={state} />
          <PrivacySection state={state} />
          <DataSection state={state} />
          <BackupSection />
        </div>
      )}
    </section>
  );
}
