/**
 * `window.luminDesktop`: what only the desktop app offers beside the contract (exposed by
 * electron/preload/index.ts; absent in a browser, where the renderer hides these features).
 *
 * Files only through the user: the renderer never names a path. A file to import comes from the
 * open dialog, File › Import… or a drop; a file to write comes from the save dialog. Each reaches
 * the renderer as a {@link ChosenFile}, whose `handle` the contract's calls carry instead of a path
 * (`imports.preview {file}`, `backup.create {target}`, `imports.export {target}`).
 */
import type { Result } from './errors';

/** What a file handle looks like: opaque, random, issued by the host (workers/host/file-access.ts). */
export const FILE_HANDLE_PATTERN = /^lumin-file:[0-9a-f]{32}$/;

/** Save targets the host's save dialog can be asked for; each handle is good for its own kind of write only. */
export const SAVE_TARGET_KINDS = ['backup', 'goodreads-export'] as const;

/** One of {@link SAVE_TARGET_KINDS}. */
export type SaveTargetKind = (typeof SAVE_TARGET_KINDS)[number];

/** A file the user chose or dropped, as the renderer knows it: a handle and the file's name, never its path. */
export interface ChosenFile {
  /** Pass it to the call that reads or writes the file (an import handle lasts the session, a save target one write). */
  handle: string;
  /** The file's name (no folders), to show. */
  name: string;
}

/** Desktop-only services for the renderer. */
export interface LuminDesktop {
  /** Shows the data folder in the system's file manager. */
  revealDataFolder(): Promise<void>;
  /** Opens an https link in the default browser when its host is on the allowlist; false when refused. */
  openExternal(url: string): Promise<boolean>;
  /** Asks for a file to import with the system's open dialog; null when the user cancels. */
  chooseImportFile(): Promise<ChosenFile | null>;
  /**
   * Swaps a `File` the user dropped on the window (or picked with an `<input type=file>`) for an import
   * handle; the file's bytes stay on disk. Fails when the `File` has no file on disk behind it.
   */
  importDroppedFile(file: unknown): Promise<Result<ChosenFile>>;
  /** Asks where to write a backup or an export with the system's save dialog; null when the user cancels. */
  chooseSaveTarget(kind: SaveTargetKind): Promise<ChosenFile | null>;
  /** Calls `listener` with the file chosen through File › Import… (Cmd/Ctrl+O); returns an unsubscribe function. */
  onImportFile(listener: (file: ChosenFile) => void): () => void;
  /**
   * True where the host serves the cover cache on the `lumin-cover:` scheme (the Electron app); a
   * host without it gets no cover requests, only the generated tiles.
   */
  readonly coverScheme: boolean;
}
