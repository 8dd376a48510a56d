/** Group picks: select students, get books suited to all of them. */
import { useId } from 'react';
import { useStore } from 'zustand';
import { Cover } from '../components/cover';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { formatGrade, formatLevel } from '../format';
import type { AppStores } from '../stores';

/** The group picks view. */
export function GroupView({ stores }: { stores: AppStores }) {
  const page = useStore(stores.readers, (state) => state.data);
  const classList = useStore(stores.classes, (state) => state.data);
  const selected = useStore(stores.group, (state) => state.selected);
  const result = useStore(stores.group, (state) => state.result);
  const resultFor = useStore(stores.group, (state) => state.resultFor);
  const loading = useStore(stores.group, (state) => state.loading);
  const error = useStore(stores.group, (state) => state.error);
  const go = useStore(stores.nav, (state) => state.go);
  const id = useId();
  const actions = stores.group.getState();
  const students = (page?.items ?? []).filter((reader) => reader.kind === 'student');
  const className = (classId: string | null) =>
    classList?.find((item) => item.id === classId)?.name ?? 'No class';
  const names = new Map(students.map((reader) => [reader.id, reader.name]));

  return (
    <section aria-labelledby="group-heading" className="screen">
      <header className="screen-header">
        <div>
          <h2 id="group-heading">Group picks</h2>
          <p className="muted">
            Books every selected student can read and has not read yet: for a reading group or a read-aloud.
          </p>
        </div>
      </header>
      {students.length < 2 ? (
        <EmptyState title="Add at least two students">
          <p>Group picks need a group. Add students or import a roster first.</p>
          <button type="button" onClick={() => go({ view: 'readers' })}>
            Go to classes &amp; readers
          </button>
        </EmptyState>
      ) : (
        <div className="group-layout">
          <fieldset className="card group-select">
            <legend>Students ({selected.length} selected)</legend>
            <ul>
              {students.map((reader) => (
                <li key={reader.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={selected.includes(reader.id)}
                      onChange={() => actions.toggle(reader.id)}
                    />{' '}
                    {reader.name}{' '}
                    <span className="muted">
                      {className(reader.classId)} · grade {formatGrade(reader.grade)}
                      {reader.readingLevel && ` · ${formatLevel(reader.readingLevel)}`}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <div className="button-row">
              <button
                type="button"
                disabled={selected.length < 2 || loading}
                onClick={() => void actions.run()}
              >
                {loading ? 'Finding books…' : 'Find books for the group'}
              </button>
              <button type="button" className="secondary" onClick={actions.clear} disabled={!selected.length}>
                Clear
              </button>
            </div>
          </fieldset>
          <section aria-labelledby={`${id}-picks`} aria-busy={loading}>
            <h3 id={`${id}-picks`} className="section-title">
              Picks
            </h3>
            {error && <ErrorMessage what="Group picks could not be found" error={error} />}
            {!result && !error && <p className="muted">Select two or more students and ask for books.</p>}
            {result && result.items.length === 0 && (
              <p className="muted">
                No book suits everyone: their reading levels may be too far apart, or the library too small.
              </p>
            )}
            {result && result.items.length > 0 && (
              <ol className="rec-list compact" aria-label="Group picks">
                {result.items.map((item) => (
                  <li key={item.bookId} className="rec-card">
                    <Cover title={item.title} size="small" />
                    <div className="rec-body">
                      <h4 className="rec-title">{item.title}</h4>
                      <p className="rec-authors">{item.authors.join(', ') || 'Unknown author'}</p>
                      <p className="rec-explanation">{item.explanation}</p>
                    </div>
                  </li>
                ))}
              </ol>
            )}
            {result && (
              <p className="muted">
                For {resultFor.map((readerId) => names.get(readerId) ?? 'a removed reader').join(', ')}.
              </p>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
