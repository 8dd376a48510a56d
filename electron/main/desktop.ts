/**
 * The main-process half of `window.luminDesktop` (shared/contract/desktop.ts): revealing the data
 * folder, opening allowlisted links, the open and save dialogs, dropped files, and File › Import…
 * sending the chosen file to the renderer. Every call is vetted like the core bridge's (the Lumin
 * window's top frame). Files reach the renderer as handles only (workers/host/file-access.ts).
 */
import { type BrowserWindow, dialog, ipcMain, shell } from 'electron';
import type { ChosenFile } from '../../shared/contract/desktop';
import { err } from '../../shared/contract/errors';
import {
  type FileHandles,
  type OpenDialogRequest,
  type SaveDialogRequest,
  chooseImportSource,
  chooseSaveTarget,
  importDroppedFile,
} from '../../workers/host/file-access';
import { DESKTOP_CHANNELS } from '../channels';
import { isTrustedSender } from './bridge';
import { isAllowedExternalUrl } from './links';

/** The system's open dialog over `window`; the chosen path or null. */
function showOpenDialog(window: BrowserWindow | null) {
  return async (request: OpenDialogRequest): Promise<string | null> => {
    const result = window
      ? await dialog.showOpenDialog(window, request)
      : await dialog.showOpenDialog(request);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/** The system's save dialog over `window`; the chosen path or null. */
function showSaveDialog(window: BrowserWindow | null) {
  return async (request: SaveDialogRequest): Promise<string | null> => {
    const result = window
      ? await dialog.showSaveDialog(window, request)
      : await dialog.showSaveDialog(request);
    return result.canceled ? null : result.filePath || null;
  };
}

/** File › Import…: asks for a file and hands its handle to the renderer's import view. */
export async function importThroughMenu(window: BrowserWindow | null, files: FileHandles): Promise<void> {
  if (!window || window.isDestroyed()) return;
  const chosen: ChosenFile | null = await chooseImportSource(files, showOpenDialog(window));
  if (chosen && !window.isDestroyed()) window.webContents.send(DESKTOP_CHANNELS.importFile, chosen);
}

/** Opens `url` in the default browser if the allowlist admits it; false when refused. */
export async function openExternalIfAllowed(url: unknown): Promise<boolean> {
  if (typeof url !== 'string' || !isAllowedExternalUrl(url)) return false;
  await shell.openExternal(url);
  return true;
}

/** Serves the desktop calls of `getWindow()`'s renderer; returns a function that removes the handlers. */
export function connectDesktop(options: {
  getWindow: () => BrowserWindow | null;
  dataDir: string;
  files: FileHandles;
}): () => void {
  const { getWindow, dataDir, files } = options;
  ipcMain.handle(DESKTOP_CHANNELS.reveal, async (event) => {
    if (!isTrustedSender(event, getWindow())) return;
    // openPath shows the folder itself; showItemInFolder would select it inside its parent.
    await shell.openPath(dataDir);
  });
  ipcMain.handle(DESKTOP_CHANNELS.openExternal, async (event, url: unknown) =>
    isTrustedSender(event, getWindow()) ? openExternalIfAllowed(url) : false,
  );
  ipcMain.handle(DESKTOP_CHANNELS.chooseImportFile, async (event) =>
    isTrustedSender(event, getWindow()) ? chooseImportSource(files, showOpenDialog(getWindow())) : null,
  );
  ipcMain.handle(DESKTOP_CHANNELS.importDroppedFile, async (event, path: unknown) =>
    isTrustedSender(event, getWindow())
      ? importDroppedFile(files, path)
      : err('forbidden', 'lumin: call refused: it did not come from the Lumin window'),
  );
  ipcMain.handle(DESKTOP_CHANNELS.chooseSaveTarget, async (event, kind: unknown) =>
    isTrustedSender(event, getWindow()) ? chooseSaveTarget(files, kind, showSaveDialog(getWindow())) : null,
  );
  return () => {
    for (const channel of [
      DESKTOP_CHANNELS.reveal,
      DESKTOP_CHANNELS.openExternal,
      DESKTOP_CHANNELS.chooseImportFile,
      DESKTOP_CHANNELS.importDroppedFile,
      DESKTOP_CHANNELS.chooseSaveTarget,
    ])
      ipcMain.removeHandler(channel);
  };
}
