/** Settings › Backup: a snapshot of the whole library, written where the user picks in the save dialog. */
import { formatCount } from '../../format';
import { SaveToFileButton } from '../../components/save-to-file';
import { desktop } from '../use-view-store';

/** The backup section (desktop app only: the save dialog is the host's). */
export function BackupSection() {
  const shell = desktop();
  if (!shell) return null;
  return (
    <section className="settings-card" aria-labelledby="backup-heading">
      <h3 id="backup-heading">Backup</h3>
      <p className="muted">
        Lumin keeps a daily backup in its data folder. Save one elsewhere too (a USB stick, the school’s
        drive) to restore it with <code>lumin restore</code>.
      </p>
      <SaveToFileButton
        desktop={shell}
        kind="backup"
        label="Save a backup…"
        what="The backup could not be written"
        write={(target) => window.lumin.backup.create({ target })}
        saved={(backup) => `Backup saved (${formatCount(Math.ceil(backup.bytes / 1024))} KB).`}
      />
    </section>
  );
}
