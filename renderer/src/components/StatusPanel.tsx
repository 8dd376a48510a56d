/** The library at a glance: record counts, schema version, where the data lives, the last backup. */
import { useState } from 'react';
import { type StoreApi, useStore } from 'zustand';
import type { Status } from '../../../shared/contract/domain';
import { formatCount, formatDateTime } from '../format';
import type { QueryState } from '../stores/query';

const COUNTS: ReadonlyArray<{ key: keyof Status['counts']; label: string }> = [
  { key: 'books', label: 'Books' },
  { key: 'readers', label: 'Readers' },
  { key: 'classes', label: 'Classes' },
  { key: 'interactions', label: 'Interactions' },
  { key: 'embeddings', label: 'Embeddings' },
];

/** The status panel. */
export function StatusPanel({ store }: { store: StoreApi<QueryState<Status>> }) {
  const status = useStore(store, (state) => state.data);
  const loading = useStore(store, (state) => state.loading);
  const refresh = useStore(store, (state) => state.refresh);
  const [refreshing, setRefreshing] = useState(false);

  const onRefresh = () => {
    setRefreshing(true);
    void refresh().finally(() => setRefreshing(false));
  };

  return (
    <section className="card" aria-labelledby="status-heading" aria-busy={loading || refreshing}>
      <div className="card-header">
        <h2 id="status-heading">Library</h2>
        <button type="button" className="secondary" onClick={onRefresh} disabled={refreshing}>
          Refresh
        </button>
      </div>
      {!status ? (
        <p className="muted">{loading ? 'Loading…' : 'The status is not available.'}</p>
      ) : (
        <>
          <dl className="stats" aria-label="Record counts">
            {COUNTS.map(({ key, label }) => (
              <div className="stat" key={key} data-stat={key}>
                <dt>{label}</dt>
                <dd>{formatCount(status.counts[key])}</dd>
              </div>
            ))}
          </dl>
          <dl className="details" aria-label="Library details">
            <div data-detail="schema">
              <dt>Schema version</dt>
              <dd>{status.schemaVersion}</dd>
            </div>
            <div data-detail="data-dir">
              <dt>Data folder</dt>
              <dd>
                <code>{status.dataDir}</code>
              </dd>
            </div>
            <div data-detail="last-backup">
              <dt>Last backup</dt>
              <dd>
                {status.lastBackupAt ? (
                  <time dateTime={status.lastBackupAt}>{formatDateTime(status.lastBackupAt)}</time>
                ) : (
                  'Never'
                )}
              </dd>
            </div>
            <div data-detail="version">
              <dt>Lumin version</dt>
              <dd>{status.appVersion}</dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
