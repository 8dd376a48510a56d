/**
 * The main-process half of `window.luminDesktop` (shared/contract/desktop.ts): revealing the data
 * folder, opening allowlisted links, the import file dialog, and File › Import… sending the chosen
 * path to the renderer. Every call is vetted like the core bridge's (the Lumin window's top frame).
 */
import { type BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { isTrustedSender } from './bridge';
import { isAllowedExternalUrl } from './links';

/** IPC channels; mirrored in electron/preload/index.ts. */
export const DESKTOP_CHANNELS = {
  reveal: 'lumin:desktop:reveal',
  openExternal: 'lumin:desktop:open-external',
  chooseImportFile: 'lumin:desktop:choose-import-file',
  importFile: 'lumin:desktop:import-file',
} as const;

/** The files the import dialog offers (the core detects the format from the content, not the name). */
const IMPORT_FILTERS = [
  { name: 'Book lists and rosters', extensions: ['csv', 'tsv', 'txt', 'json', 'xml', 'mrc', 'marc', 'opf'] },
  { name: 'All files', extensions: ['*'] },
];

/** Shows the open dialog for an import; null when cancelled. */
export async function chooseImportFile(window: BrowserWindow | null): Promise<string | null> {
  const options = {
    title: 'Import a book list or roster',
    properties: ['openFile' as const],
    filters: IMPORT_FILTERS,
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** File › Import…: asks for a file and hands its path to the renderer's import view. */
export async function importThroughMenu(window: BrowserWindow | null): Promise<void> {
  if (!window || window.isDestroyed()) return;
  const path = await chooseImportFile(window);
  if (path && !window.isDestroyed()) window.webContents.send(DESKTOP_CHANNELS.importFile, path);
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
}): () => void {
  const { getWindow, dataDir } = options;
  ipcMain.handle(DESKTOP_CHANNELS.reveal, async (event) => {
    if (!isTrustedSender(event, getWindow())) return;
    // openPath shows the folder itself; showItemInFolder would select it inside its parent.
    await shell.openPath(dataDir);
  });
  ipcMain.handle(DESKTOP_CHANNELS.openExternal, async (event, url: unknown) =>
    isTrustedSender(event, getWindow()) ? openExternalIfAllowed(url) : false,
  );
  ipcMain.handle(DESKTOP_CHANNELS.chooseImportFile, async (event) =>
    isTrustedSender(event, getWindow()) ? chooseImportFile(getWindow()) : null,
  );
  return () => {
    for (const channel of [
      DESKTOP_CHANNELS.reveal,
      DESKTOP_CHANNELS.openExternal,
      DESKTOP_CHANNELS.chooseImportFile,
    ])
      ipcMain.removeHandler(channel);
  };
}
