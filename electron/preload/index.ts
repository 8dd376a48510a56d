/**
 * The preload: exposes `window.lumin` (the typed API plus events) to the sandboxed renderer. It
 * runs sandboxed itself, so it is bundled to CommonJS with everything inlined but `electron`.
 *
 * Only plain functions cross the bridge: the renderer never sees ipcRenderer, an IPC event object,
 * or the sender, so a compromised page can do no more than call the contract's methods.
 */
import { type IpcRendererEvent, contextBridge, ipcRenderer } from 'electron';
import type { LuminBridge } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
import type { EventName, LuminEvents, Subscribe } from '../../shared/contract/events';

// Mirrors electron/main/bridge.ts (not imported: that module pulls in the main-process world).
const INVOKE_CHANNEL = 'lumin:invoke';
const EVENT_CHANNEL = 'lumin:event';

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

contextBridge.exposeInMainWorld('lumin', bridge);
