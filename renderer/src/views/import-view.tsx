/**
 * Import: pick or drop a file, see what the import would do (format, counts, problems, merges to
 * accept or reject, column mapping for generic files, whose history it is), commit with a progress
 * bar, and read the summary (with the failed rows as a CSV to download).
 */
import { useId } from 'react';
import { useStore } from 'zustand';
import type { ImportFormat, ProposedMerge } from '../../../shared/contract/imports';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { download } from '../download';
import { formatCount } from '../format';
import type { AppStores } from '../stores';
import { type MappingField } from '../stores/imports';

const FORMAT_LABELS: Record<ImportFormat, string> = {
  goodreads: 'Goodreads export',
  storygraph: 'StoryGraph export',
  librarything: 'LibraryThing export',
  calibre: 'Calibre catalogue',
  marc: 'MARC records',
  isbn: 'ISBN list',
  csv: 'Spreadsheet (CSV)',
  json: 'JSON',
  roster: 'Class roster',
};

/** Formats that carry one reader's history. */
const MERGE_REASONS: Record<ProposedMerge['by'], string> = {
  isbn: 'same ISBN',
  control_number: 'same catalogue record',
  title_author: 'same title and author',
};

const HISTORY_FORMATS: ReadonlySet<ImportFormat> = new Set(['goodreads', 'storygraph', 'librarything']);
/** Fields offered in the column mapping of generic files. */
const MAPPING_FIELDS: MappingField[] = [
  'title',
  'authors',
  'isbn',
  'description',
  'subjects',
  'year',
  'pages',
];

/** The import view. */
export function ImportView({ stores }: { stores: AppStores }) {
  const store = stores.imports;
  const step = useStore(store, (state) => state.step);
  const fileName = useStore(store, (state) => state.fileName);
  const preview = useStore(store, (state) => state.preview);
  const rejected = useStore(store, (state) => state.rejected);
  const progress = useStore(store, (state) => state.progress);
  const result = useStore(store, (state) => state.result);
  const error = useStore(store, (state) => state.error);
  const options = useStore(store, (state) => state.options);
  const columns = useStore(store, (state) => state.columns);
  const go = useStore(stores.nav, (state) => state.go);
  const id = useId();
  const actions = store.getState();

  // The open dialog is the desktop host's: the page gets the chosen file's handle, never its path.
  const picker = (
    <div className="file-picker">
      <button type="button" onClick={() => void actions.choose()}>
        Choose a file…
      </button>
      <span className="muted">or drop it anywhere on this window.</span>
    </div>
  );

  return (
    <section aria-labelledby="import-heading" className="screen">
      <header className="screen-header">
        <div>
          <h2 id="import-heading">Import</h2>
          <p className="muted">
            Books from Goodreads, StoryGraph, LibraryThing, Calibre, MARC, ISBN lists or spreadsheets, and
            class rosters.
          </p>
        </div>
        {step !== 'idle' && (
          <button type="button" className="secondary" onClick={() => void actions.reset()}>
            Start over
          </button>
        )}
      </header>
      {error && (
        <ErrorMessage what={fileName ? `${fileName} could not be imported` : 'Import failed'} error={error} />
      )}

      {step === 'idle' && (
        <EmptyState title="Bring in your books">
          <p>
            Export your shelves from Goodreads (My Books → Import and export → Export library) or pick a
            catalogue or roster spreadsheet. Nothing is written until you confirm.
          </p>
          {picker}
        </EmptyState>
      )}

      {(step === 'reading' || step === 'previewing') && (
        <p className="muted" role="status">
          Reading {fileName}…
        </p>
      )}

      {preview && (step === 'preview' || step === 'committing') && (
        <div className="import-preview">
          <section className="card" aria-labelledby={`${id}-preview`}>
            <h3 id={`${id}-preview`}>
              {fileName}: <span data-testid="import-format">{FORMAT_LABELS[preview.format]}</span>
            </h3>
            <dl className="counts">
              <div>
                <dt>Rows</dt>
                <dd data-count="rows">{formatCount(preview.rows)}</dd>
              </div>
              <div>
                <dt>New</dt>
                <dd data-count="create">{formatCount(preview.toCreate)}</dd>
              </div>
              <div>
                <dt>Already known</dt>
                <dd data-count="merge">{formatCount(preview.toMerge)}</dd>
              </div>
              <div>
                <dt>Reading events</dt>
                <dd data-count="interactions">{formatCount(preview.interactions)}</dd>
              </div>
              <div>
                <dt>Problems</dt>
                <dd data-count="problems">{formatCount(preview.problemCount)}</dd>
              </div>
            </dl>
            <form
              className="form inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                const data = new FormData(event.currentTarget);
                void actions.setOptions({
                  readerName: String(data.get('readerName') ?? ''),
                  className: String(data.get('className') ?? ''),
                });
              }}
            >
              {(HISTORY_FORMATS.has(preview.format) || preview.reader) && (
                <>
                  <label htmlFor={`${id}-reader`}>Whose reading history is this?</label>
                  <input
                    id={`${id}-reader`}
                    name="readerName"
                    defaultValue={options.readerName}
                    placeholder="A reader’s name (blank: books only)"
                    autoComplete="off"
                  />
                </>
              )}
              {preview.format === 'roster' && (
                <>
                  <label htmlFor={`${id}-class`}>Class the students join</label>
                  <input
                    id={`${id}-class`}
                    name="className"
                    defaultValue={options.className}
                    autoComplete="off"
                  />
                </>
              )}
              {(HISTORY_FORMATS.has(preview.format) || preview.format === 'roster') && (
                <button type="submit" className="secondary">
                  Update preview
                </button>
              )}
            </form>
            {preview.reader && (
              <p className="muted">
                The history goes to <strong>{preview.reader.name}</strong>
                {preview.reader.created ? ' (a new reader).' : '.'}
              </p>
            )}
          </section>

          <div className="commit-bar">
            {step === 'committing' && progress ? (
              <div className="progress-wrap">
                <label htmlFor={`${id}-progress`}>
                  Importing {formatCount(progress.done)} of {formatCount(progress.total)} rows…
                </label>
                <progress id={`${id}-progress`} max={Math.max(1, progress.total)} value={progress.done} />
              </div>
            ) : (
              <button type="button" onClick={() => void actions.commit()}>
                Import {formatCount(preview.rows)} rows
              </button>
            )}
          </div>

          {(preview.format === 'csv' || preview.format === 'json') && columns.length > 0 && (
            <section className="card" aria-labelledby={`${id}-mapping`}>
              <h3 id={`${id}-mapping`}>Columns</h3>
              <p className="muted">Tell Lumin which column holds what; it guessed where it could.</p>
              <div className="mapping">
                {MAPPING_FIELDS.map((field) => (
                  <div key={field} className="mapping-field">
                    <label htmlFor={`${id}-map-${field}`}>{field}</label>
                    <select
                      id={`${id}-map-${field}`}
                      value={options.mapping[field] ?? ''}
                      onChange={(event) =>
                        void actions.setOptions({
                          mapping: { ...options.mapping, [field]: event.target.value },
                        })
                      }
                    >
                      <option value="">(guess)</option>
                      {columns.map((column) => (
                        <option key={column} value={column}>
                          {column}
                        </option>
                      ))}
                    </select>
                  </div>
                ))}
              </div>
            </section>
          )}

          <section className="card" aria-labelledby={`${id}-sample`}>
            <h3 id={`${id}-sample`}>First rows</h3>
            <div className="table-scroll" role="region" aria-labelledby={`${id}-sample`} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Title or name</th>
                    <th scope="col">Authors</th>
                    <th scope="col">Shelf</th>
                    <th scope="col">Will</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row) => (
                    <tr key={row.row}>
                      <td>{row.row}</td>
                      <th scope="row">{row.label || '—'}</th>
                      <td>{row.authors.join(', ') || '—'}</td>
                      <td>{row.shelf ?? '—'}</td>
                      <td>{row.action}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {preview.mergeCount > 0 && (
            <section className="card" aria-labelledby={`${id}-merges`}>
              <h3 id={`${id}-merges`}>Proposed merges ({formatCount(preview.mergeCount)})</h3>
              <p className="muted">
                Rows that look like a book Lumin already has. Uncheck a title-and-author match to keep it as a
                separate book; ISBN matches always merge.
              </p>
              <ul className="merge-list">
                {preview.merges.slice(0, 200).map((merge) => (
                  <li key={merge.row}>
                    <label>
                      <input
                        type="checkbox"
                        checked={!rejected.includes(merge.row)}
                        disabled={merge.by !== 'title_author'}
                        onChange={() => actions.toggleMerge(merge.row)}
                      />{' '}
                      Row {merge.row} → <strong>{merge.title}</strong>
                      {merge.author && ` by ${merge.author}`}{' '}
                      <span className="muted">
                        ({MERGE_REASONS[merge.by]}
                        {merge.earlierRow !== null && `, row ${merge.earlierRow} of this file`})
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {preview.problemCount > 0 && (
            <section className="card" aria-labelledby={`${id}-problems`}>
              <h3 id={`${id}-problems`}>Row problems ({formatCount(preview.problemCount)})</h3>
              {/* Focusable: a long list scrolls, and keyboard users must be able to scroll it. */}
              <ul className="problem-list" tabIndex={0} aria-label="Row problems">
                {preview.problems.slice(0, 100).map((problem, index) => (
                  <li key={`${problem.row}-${problem.field}-${index}`}>
                    Row {problem.row}, {problem.field}: {problem.reason}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}

      {step === 'done' && result && (
        <section className="card import-summary" aria-labelledby={`${id}-summary`} role="status">
          <h3 id={`${id}-summary`}>Import finished</h3>
          <progress max={1} value={1} aria-label="Import progress" />
          <p>
            {formatCount(result.rows)} rows read: <strong>{formatCount(result.imported)} new</strong>,{' '}
            {formatCount(result.updated)} updated, {formatCount(result.duplicates)} already known,{' '}
            {formatCount(result.failed.length)} with problems; {formatCount(result.interactions)} reading
            events added.
          </p>
          {result.imported + result.updated > 0 && (
            <p className="muted">
              Lumin now reads the new books’ descriptions in the background, for similar books and personal
              suggestions (see Jobs).
            </p>
          )}
          <div className="button-row">
            <button type="button" onClick={() => go({ view: 'library' })}>
              See the library
            </button>
            {result.failed.length > 0 && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  download(
                    `${fileName ?? 'import'}-failed-rows.csv`,
                    result.failedRowsCsv ?? '',
                    'text/csv;charset=utf-8',
                  )
                }
              >
                Download failed rows (CSV)
              </button>
            )}
          </div>
          {picker}
        </section>
      )}
      {step !== 'idle' && step !== 'done' && (
        <section className="picker-again" aria-label="Another file">
          <h3 className="section-title">A different file?</h3>
          {picker}
        </section>
      )}
    </section>
  );
}
