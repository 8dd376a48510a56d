/**
 * The preload: exposes `window.lumin` (the typed API plus events) and `window.luminDesktop` (the
 * desktop-only extras: reveal the data folder, allowlisted links, the open and save dialogs, dropped
 * files and File › Import…) to the sandboxed renderer. It runs sandboxed itself, so it is bundled to
 * CommonJS with everything inlined but `electron`.
 *
 * Only plain functions cross the bridge: the renderer never sees ipcRenderer, an IPC event object,
 * or the sender, so a compromised page can do no more than call the contract's methods. Files are
 * handles (workers/host/file-access.ts): a dropped `File` becomes a path here, with
 * `webUtils.getPathForFile`, and the main process swaps the path for a handle; its bytes stay on disk.
 */
import { type IpcRendererEvent, contextBridge, ipcRenderer, webUtils } from 'electron';
import type { LuminBridge } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
import type { ChosenFile, LuminDesktop } from '../../shared/contract/desktop';
import type { Result } from '../../shared/contract/errors';
import type { EventName, LuminEvents, Subscribe } from '../../shared/contract/events';
import { DESKTOP_CHANNELS, EVENT_CHANNEL, INVOKE_CHANNEL } from '../channels';

/** A handle and a name from the main process, or null. */
function chosenFile(value: unknown): ChosenFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const { handle, name } = value as Record<string, unknown>;
  return typeof handle === 'string' && typeof name === 'string' ? { handle, name } : null;
}

const on: Subscribe = (event, listener) => {
  if (typeof listener !== 'function') throw new TypeError('lumin.on: the listener must be a function');
  const handler = (_event: IpcRendererEvent, name: EventName, payload: LuminEvents[EventName]) => {
    if (name === event) listener(payload as Parameters<typeof listener>[0]);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  };
};

const bridge: LuminBridge = {
  ...createClient((method, input) => ipcRenderer.invoke(INVOKE_CHANNEL, method, input)),
  on,
};

const desktop: LuminDesktop = {
  coverScheme: true,
  async revealDataFolder() {
    await ipcRenderer.invoke(DESKTOP_CHANNELS.reveal);
  },
  async openExternal(url) {
    return (await ipcRenderer.invoke(DESKTOP_CHANNELS.openExternal, String(url))) === true;
  },
  async chooseImportFile() {
    return chosenFile(await ipcRenderer.invoke(DESKTOP_CHANNELS.chooseImportFile));
  },
  async importDroppedFile(file) {
    let path = '';
    try {
      // Only a File the user dropped or picked has a path; one a page built itself gives ''.
      path = webUtils.getPathForFile(file as File);
    } catch {
      path = '';
    }
    return (await ipcRenderer.invoke(DESKTOP_CHANNELS.importDroppedFile, path)) as Result<ChosenFile>;
  },
  async chooseSaveTarget(kind) {
    return chosenFile(await ipcRenderer.invoke(DESKTOP_CHANNELS.chooseSaveTarget, String(kind)));
  },
  onImportFile(listener) {
    if (typeof listener !== 'function')
      throw new TypeError('luminDesktop.onImportFile: the listener must be a function');
    const handler = (_event: IpcRendererEvent, value: unknown) => {
      const chosen = chosenFile(value);
      if (chosen) listener(chosen);
    };
    ipcRenderer.on(DESKTOP_CHANNELS.importFile, handler);
    return () => {
      ipcRenderer.removeListener(DESKTOP_CHANNELS.importFile, handler);
    };
  },
};

contextBridge.exposeInMainWorld('lumin', bridge);
contextBridge.exposeInMainWorld('luminDesktop', desktop);
