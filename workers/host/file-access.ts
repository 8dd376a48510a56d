/**
 * Files only through the user: the policy between an untrusted renderer and the core, shared by the
 * Electron main process (electron/main/bridge.ts, desktop.ts) and the e2e web host that stands in for
 * it (tests/e2e/web-host.ts), so the tests run this code and not a copy.
 *
 * - The renderer never names a path. A call whose input carries a path field is refused with
 *   `forbidden`; the contract's file arguments come as handles (`imports.preview {file}`,
 *   `backup.create {target}`, `imports.export {target}`).
 * - Handles are issued here only for what the user chose: an import source from the open dialog or a
 *   drop (the preload turns the dropped `File` into a path with `webUtils.getPathForFile`), a save
 *   target from the save dialog shown by the host. Each is bound to one purpose; a save target is good
 *   for one write, an import source for the session (the preview runs again when options change).
 * - The core gets the path and reads or writes the file itself: no file content crosses IPC.
 *
 * A new kind of write (say a per-reader export) adds its kind to SAVE_TARGET_KINDS
 * (shared/contract/desktop.ts), a row to SAVE_TARGETS and one to FILE_ARGUMENTS; the renderer then
 * asks `luminDesktop.chooseSaveTarget(kind)` and passes the handle.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { type MethodName, isMethodName } from '../../shared/contract/client';
import { type ChosenFile, SAVE_TARGET_KINDS, type SaveTargetKind } from '../../shared/contract/desktop';
import { type Result, err, ok } from '../../shared/contract/errors';

/** What a handle may be used for: reading an import source, or one kind of write. */
export type FilePurpose = 'import' | SaveTargetKind;

/** A path-taking argument of the contract and its handle form. */
export interface FileArgument {
  /** The field the CLI and tests fill with a path. */
  pathField: string;
  /** The field the app fills with a handle. */
  handleField: string;
  /** What the handle must have been issued for. */
  purpose: FilePurpose;
}

/** Every file argument of the contract (tests/unit/file-access.test.ts checks none is missing). */
export const FILE_ARGUMENTS: Partial<Record<MethodName, FileArgument>> = {
  'imports.preview': { pathField: 'path', handleField: 'file', purpose: 'import' },
  'backup.create': { pathField: 'out', handleField: 'target', purpose: 'backup' },
  'imports.export': { pathField: 'out', handleField: 'target', purpose: 'goodreads-export' },
};

/** Input fields that name a file or folder: refused from the renderer on every method. */
export const PATH_FIELDS: ReadonlySet<string> = new Set(['path', 'out', 'dir', 'folder', 'dataDir', 'file']);

/** How long a handle lives: an import source for the working day, a save target for its write. */
const IMPORT_TTL_MS = 12 * 60 * 60 * 1000;
const SAVE_TTL_MS = 10 * 60 * 1000;
/** The most handles held at once (the oldest go first): a page cannot make the host hoard paths. */
const MAX_HANDLES = 64;

interface Entry {
  path: string;
  purpose: FilePurpose;
  expiresAt: number;
}

/** The session's handles: opaque random ids the host hands out for files the user chose. */
export class FileHandles {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Issues a handle for `path` (absolute), good for `purpose` only. */
  issue(path: string, purpose: FilePurpose): ChosenFile {
    if (!isAbsolute(path)) throw new Error(`file handles: ${path} is not an absolute path`);
    const handle = `lumin-file:${randomBytes(16).toString('hex')}`;
    this.#entries.set(handle, {
      path,
      purpose,
      expiresAt: this.#now() + (purpose === 'import' ? IMPORT_TTL_MS : SAVE_TTL_MS),
    });
    while (this.#entries.size > MAX_HANDLES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return { handle, name: basename(path) };
  }

  /**
   * The path behind `handle` when it was issued for `purpose` and has not expired; a save target is
   * spent by this. Null otherwise (unknown, expired, spent, or issued for something else).
   */
  redeem(handle: unknown, purpose: FilePurpose): string | null {
    if (typeof handle !== 'string') return null;
    const entry = this.#entries.get(handle);
    if (!entry) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(handle);
      return null;
    }
    if (entry.purpose !== purpose) return null;
    if (purpose !== 'import') this.#entries.delete(handle);
    return entry.path;
  }

  /** Forgets every handle (the window closed or reloaded). */
  clear(): void {
    this.#entries.clear();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why the renderer may not make this call as it is, or null when it may. */
function refusal(method: MethodName, input: unknown): Result<never> | null {
  const argument = FILE_ARGUMENTS[method];
  if (isRecord(input)) {
    for (const field of Object.keys(input)) {
      if (!PATH_FIELDS.has(field) || field === argument?.handleField || input[field] === undefined) continue;
      return err(
        'forbidden',
        argument
          ? `${method}: ${field}: the app cannot name a file; ${argument.purpose === 'import' ? 'choose it in the open dialog or drop it on the window' : 'choose where in the save dialog'} (the call then carries ${argument.handleField}, a file handle)`
          : `${method}: ${field}: the app cannot name a file or folder`,
        { field },
      );
    }
  }
  if (method === 'models.use' && isRecord(input) && String(input['id']).trim().startsWith('folder:'))
    return err(
      'forbidden',
      'models.use: id: the app cannot name a model folder; use `lumin models use folder:/path`',
      {
        field: 'id',
      },
    );
  return null;
}

/** The input with its handle swapped for the path, or why not. */
function resolveHandle(method: MethodName, input: unknown, handles: FileHandles): Result<unknown> {
  const argument = FILE_ARGUMENTS[method];
  if (!argument || !isRecord(input) || input[argument.handleField] === undefined) return ok(input);
  const { [argument.handleField]: handle, ...rest } = input;
  const path = handles.redeem(handle, argument.purpose);
  if (path === null)
    return err(
      'invalid_argument',
      `${method}: ${argument.handleField}: not a file handle for ${argument.purpose === 'import' ? 'an import' : `a ${argument.purpose}`} (it may have expired or been used; choose the file again)`,
      { field: argument.handleField },
    );
  return ok({ ...rest, [argument.pathField]: path });
}

/** Something that answers contract calls (the core's `invoke`). */
export type CoreInvoke = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/**
 * The renderer's way into the core: refuses unknown methods and path fields, swaps handles for
 * paths, and forwards the rest to `invoke` (which validates the input itself).
 */
export function rendererInvoke(invoke: CoreInvoke, handles: FileHandles) {
  return async (method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isMethodName(method)) return err('unknown_method', `lumin: no such method: ${String(method)}`);
    const refused = refusal(method, input);
    if (refused) return refused;
    const resolved = resolveHandle(method, input, handles);
    if (!resolved.ok) return resolved;
    return invoke(method, resolved.value);
  };
}

/** A file-type filter of the system dialogs (Electron's shape). */
export interface DialogFilter {
  name: string;
  extensions: string[];
}

/** What the host's open dialog is asked to show (a subset of Electron's OpenDialogOptions). */
export interface OpenDialogRequest {
  title: string;
  properties: Array<'openFile'>;
  filters: DialogFilter[];
}

/** What the host's save dialog is asked to show (a subset of Electron's SaveDialogOptions). */
export interface SaveDialogRequest {
  title: string;
  defaultPath: string;
  filters: DialogFilter[];
}

/** The import dialog (the core detects the format from the content, not the name). */
export const IMPORT_DIALOG: OpenDialogRequest = {
  title: 'Import a book list or roster',
  properties: ['openFile'],
  filters: [
    {
      name: 'Book lists and rosters',
      extensions: ['csv', 'tsv', 'txt', 'json', 'xml', 'mrc', 'marc', 'opf'],
    },
    { name: 'All files', extensions: ['*'] },
  ],
};

const day = (now: Date) => now.toISOString().slice(0, 10);

/** The save dialog of each kind of write. */
export const SAVE_TARGETS: Record<SaveTargetKind, (now: Date) => SaveDialogRequest> = {
  backup: (now) => ({
    title: 'Save a backup of the library',
    defaultPath: `lumin-backup-${day(now)}.tar.gz`,
    filters: [{ name: 'Lumin backups', extensions: ['gz'] }],
  }),
  'goodreads-export': (now) => ({
    title: 'Export shelves as a Goodreads CSV',
    defaultPath: `goodreads-export-${day(now)}.csv`,
    filters: [{ name: 'CSV files', extensions: ['csv'] }],
  }),
};

/** Shows the open dialog; resolves to the chosen path, or null when cancelled. */
export type ShowOpenDialog = (request: OpenDialogRequest) => Promise<string | null>;
/** Shows the save dialog; resolves to the chosen path, or null when cancelled. */
export type ShowSaveDialog = (request: SaveDialogRequest) => Promise<string | null>;

/** The open dialog → an import handle (null when cancelled). */
export async function chooseImportSource(
  handles: FileHandles,
  show: ShowOpenDialog,
): Promise<ChosenFile | null> {
  const path = await show(IMPORT_DIALOG);
  return path ? handles.issue(path, 'import') : null;
}

/**
 * The save dialog for a `kind` of write → a one-write handle (null when cancelled or `kind` is not
 * one the renderer may ask for). The one helper every "save to a file" feature goes through.
 */
export async function chooseSaveTarget(
  handles: FileHandles,
  kind: unknown,
  show: ShowSaveDialog,
  now = new Date(),
): Promise<ChosenFile | null> {
  if (!(SAVE_TARGET_KINDS as readonly unknown[]).includes(kind)) return null;
  const purpose = kind as SaveTargetKind;
  const path = await show(SAVE_TARGETS[purpose](now));
  return path ? handles.issue(path, purpose) : null;
}

/**
 * A dropped file's path (from the preload's `webUtils.getPathForFile`) → an import handle. Refuses
 * what is not an existing regular file (`getPathForFile` gives '' for a `File` a page made itself).
 */
export async function importDroppedFile(handles: FileHandles, path: unknown): Promise<Result<ChosenFile>> {
  if (typeof path !== 'string' || !isAbsolute(path))
    return err('invalid_argument', 'the dropped item is not a file on this computer', { field: 'file' });
  const info = await stat(path).catch(() => null);
  if (!info?.isFile())
    return err('invalid_argument', `${basename(path)} is not a file Lumin can import (a folder, or gone)`, {
      field: 'file',
    });
  return ok(handles.issue(path, 'import'));
}
