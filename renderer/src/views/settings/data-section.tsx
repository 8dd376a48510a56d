/**
 * The data folder (shown; "Reveal in folder" in the desktop app) and one student's data: export it as a
 * JSON download, or delete it after a confirmation dialog.
 */
import { useId, useState } from 'react';
import { DeleteReaderDialog } from '../../components/delete-reader-dialog';
import { download } from '../../download';
import type { ReaderExport, SettingsState } from '../../stores/settings';
import { desktop } from '../use-view-store';

/** A file name from a reader's name: letters, digits and dashes only. */
export function exportFileName(name: string, date = new Date()): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase() || 'reader';
  return `lumin-${slug}-${date.toISOString().slice(0, 10)}.json`;
}

/** Offers a reader's export document as a JSON download named after them and today. */
export function downloadReaderExport(data: ReaderExport): void {
  download(exportFileName(data.reader.name), JSON.stringify(data, null, 2), 'application/json');
}

/** The data section. */
export function DataSection({ state }: { state: SettingsState }) {
  const readerField = useId();
  const [readerId, setReaderId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const shell = desktop();
  const chosen = state.readers.find((reader) => reader.id === readerId) ?? null;

  const exportChosen = async () => {
    if (!chosen) return;
    const data = await state.exportReader(chosen.id);
    if (data) downloadReaderExport(data);
  };

  const deleteChosen = async () => {
    if (!chosen) return;
    setConfirming(false);
    if (await state.deleteReader(chosen.id)) setReaderId('');
  };

  return (
    <section className="settings-card" aria-labelledby="settings-data">
      <h3 id="settings-data">Your data</h3>
      <dl className="data-folder">
        <dt>Data folder</dt>
        <dd>
          <code data-detail="settings-data-dir">{state.dataDir ?? '…'}</code>
          {shell ? (
            <button type="button" className="secondary" onClick={() => void shell.revealDataFolder()}>
              Reveal in folder
            </button>
          ) : null}
        </dd>
      </dl>
      <p className="muted">Everything Lumin knows stays in this folder on this computer.</p>

      <h4>One student’s data</h4>
      {state.readers.length ? (
        <div className="field-row">
          <div className="field">
            <label htmlFor={readerField}>Student</label>
            <select id={readerField} value={readerId} onChange={(event) => setReaderId(event.target.value)}>
              <option value="">Choose a student…</option>
              {state.readers.map((reader) => (
                <option key={reader.id} value={reader.id}>
                  {reader.name}
                </option>
              ))}
            </select>
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="secondary"
              disabled={!chosen}
              onClick={() => void exportChosen()}
            >
              Export data
            </button>
            <button type="button" className="danger" disabled={!chosen} onClick={() => setConfirming(true)}>
              Delete data…
            </button>
          </div>
        </div>
      ) : (
        <p className="view-empty">
          No students yet. Add them in <a href="#/readers">Classes and readers</a>; here you can then export
          or delete one student’s data.
        </p>
      )}

      <DeleteReaderDialog
        name={chosen?.name ?? null}
        open={confirming}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void deleteChosen()}
      />
    </section>
  );
}
