/**
 * The confirmation before a student is erased: says what goes (everything `readers.remove` erases)
 * and defaults to keeping them. Used on the reader's page and in Settings → Your data.
 */
import { useEffect, useId, useRef } from 'react';

/** A modal dialog while `open`; `onConfirm` deletes, `onCancel` (also Escape) keeps the student. */
export function DeleteReaderDialog({
  name,
  open,
  onCancel,
  onConfirm,
}: {
  name: string | null;
  open: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const title = useId();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal?.();
    if (!open && element.open) element.close?.();
  }, [open]);

  return (
    <dialog ref={dialog} className="confirm-dialog" aria-labelledby={title} onClose={onCancel}>
      <h4 id={title}>Delete {name ?? 'this student'}?</h4>
      <p>This erases {name ?? 'the student'} from this computer:</p>
      <ul>
        <li>their name, notes, interests, grade and reading level;</li>
        <li>their reading history, ratings, feedback, pins and blocks;</li>
        <li>every list recommended to them, with its explanations, and their profile vector;</li>
        <li>their copies inside the automatic backups, which are rewritten without them;</li>
        <li>
          what waits to be sent to the sync server; if sync is on, the server is asked to erase them too.
        </li>
      </ul>
      <p>It cannot be undone; export their data first if you may need it.</p>
      <div className="form-actions">
        <button type="button" className="secondary" autoFocus onClick={onCancel}>
          Keep
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Delete
        </button>
      </div>
    </dialog>
  );
}
