/**
 * The preload: exposes `window.lumin` (the typed API plus events) and `window.luminDesktop` (the
 * desktop-only extras: reveal the data folder, allowlisted links, the import file dialog and the
 * File › Import… path) to the sandboxed renderer. It runs sandboxed itself, so it is bundled to
 * CommonJS with everything inlined but `electron`.
 *
 * Only plain functions cross the bridge: the renderer never sees ipcRenderer, an IPC event object,
 * or the sender, so a compromised page can do no more than call the contract's methods.
 */
import { type IpcRendererEvent, contextBridge, ipcRenderer } from 'electron';
import type { LuminBridge } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
import type { LuminDesktop } from '../../shared/contract/desktop';
import type { EventName, LuminEvents, Subscribe } from '../../shared/contract/events';

// Mirrors electron/main/bridge.ts and desktop.ts (not imported: they pull in the main-process world).
const INVOKE_CHANNEL = 'lumin:invoke';
const EVENT_CHANNEL = 'lumin:event';
const DESKTOP_CHANNELS = {
  reveal: 'lumin:desktop:reveal',
  openExternal: 'lumin:desktop:open-external',
  chooseImportFile: 'lumin:desktop:choose-import-file',
  importFile: 'lumin:desktop:import-file',
} as const;

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
  async revealDataFolder() {
    await ipcRenderer.invoke(DESKTOP_CHANNELS.reveal);
  },
  async openExternal(url) {
    return (await ipcRenderer.invoke(DESKTOP_CHANNELS.openExternal, String(url))) === true;
  },
  async chooseImportFile() {
    const path: unknown = await ipcRenderer.invoke(DESKTOP_CHANNELS.chooseImportFile);
    return typeof path === 'string' ? path : null;
  },
  onImportFile(listener) {
    if (typeof listener !== 'function')
      throw new TypeError('luminDesktop.onImportFile: the listener must be a function');
    const handler = (_event: IpcRendererEvent, path: unknown) => {
      if (typeof path === 'string') listener(path);
    };
    ipcRenderer.on(DESKTOP_CHANNELS.importFile, handler);
    return () => {
      ipcRenderer.removeListener(DESKTOP_CHANNELS.importFile, handler);
    };
  },
};

contextBridge.exposeInMainWorld('lumin', bridge);
contextBridge.exposeInMainWorld('luminDesktop', desktop);
