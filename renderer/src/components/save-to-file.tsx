/**
 * Writing a file where the user says: the desktop host shows the save dialog and hands back a
 * one-write handle, which the call carries instead of a path (`backup.create {target}`,
 * `imports.export {target}`). Hidden in a plain browser, where there is no host to ask.
 */
import { useState } from 'react';
import type { LuminDesktop, SaveTargetKind } from '../../../shared/contract/desktop';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import { thrownToError } from '../stores/query';
import { ErrorMessage } from './error-message';

/** What became of a save: written (the value), cancelled in the dialog, or failed. */
export type SaveOutcome<T> = { ok: true; value: T } | { ok: false; error: LuminErrorShape } | null;

/** Asks the host's save dialog for a `kind` target and runs `write` with its handle; null when cancelled. */
export async function saveThroughDialog<T>(
  desktop: Pick<LuminDesktop, 'chooseSaveTarget'>,
  kind: SaveTargetKind,
  write: (target: string) => Promise<Result<T>>,
): Promise<SaveOutcome<T>> {
  try {
    const target = await desktop.chooseSaveTarget(kind);
    return target ? await write(target.handle) : null;
  } catch (error) {
    return { ok: false, error: thrownToError(kind, error) };
  }
}

/** A button that saves through the dialog and says how it went. */
export function SaveToFileButton<T>(props: {
  desktop: LuminDesktop | null;
  kind: SaveTargetKind;
  label: string;
  /** Runs the call with the target's handle. */
  write: (target: string) => Promise<Result<T>>;
  /** The sentence shown once written. */
  saved: (value: T) => string;
  /** What failed, for the error message ("The backup could not be written"). */
  what: string;
}) {
  const { desktop, kind, label, write, saved, what } = props;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome<T>>(null);
  if (!desktop) return null;
  return (
    <div className="save-to-file">
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void saveThroughDialog(desktop, kind, write)
            .then(setOutcome)
            .finally(() => setBusy(false));
        }}
      >
        {label}
      </button>
      <p className="muted" role="status">
        {outcome?.ok ? saved(outcome.value) : ''}
      </p>
      {outcome && !outcome.ok && <ErrorMessage what={what} error={outcome.error} />}
    </div>
  );
}
