/** What erasing a reader (`readers.remove`) and rotating a pseudonym (`sync.rotate`) report. */

/** The outcome of `readers.remove`: the reader is gone from the database, its files and the backups. */
export interface ReaderErasure {
  id: string;
  /** Rows deleted per table (only tables that had some), e.g. `{interactions: 10000, rec_logs: 120}`. */
  deleted: Record<string, number>;
  /** Whether their row of the stored collaborative model was dropped. */
  modelRowDropped: boolean;
  /** Backups in the backups folder rewritten without them. */
  backupsRewritten: string[];
  /** Whether an erase request for the sync server was queued (sync in use on this device). */
  eraseQueued: boolean;
}

/** The outcome of `sync.rotate`. */
export interface PseudonymRotation {
  readerId: string;
  /** Whether an erase of the old pseudonym was queued for the server (sync in use on this device). */
  eraseQueued: boolean;
  /** Pending events of the reader moved to the new pseudonym. */
  moved: number;
}
