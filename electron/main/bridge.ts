/**
 * The main-process half of `window.lumin`: one IPC channel for calls and one for events. The
 * renderer is untrusted input, so every call is checked (sender; then workers/host/file-access.ts:
 * method name, no path fields, file handles swapped for paths) before it reaches the core, which
 * validates the input itself.
 */
import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { type Result, err } from '../../shared/contract/errors';
import { EVENT_NAMES } from '../../shared/contract/events';
import type { Core } from '../../workers/host/core';
import { type FileHandles, rendererInvoke } from '../../workers/host/file-access';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../channels';
import { isAppUrl } from './window';

/**
 * True when the call comes from the top frame of the main window showing the app's own page, not
 * from an iframe, another window, or a page the window was somehow navigated to.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== window.webContents) return false;
  const main = window.webContents.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url);
}

/**
 * Serves calls from `getWindow()`'s renderer (file arguments as `files` handles only) and forwards
 * every core event to it. Returns a function that removes the handler and the subscriptions.
 */
export function connectBridge(
  core: Core,
  getWindow: () => BrowserWindow | null,
  files: FileHandles,
): () => void {
  const invoke = rendererInvoke(core.invoke, files);
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event, getWindow())) {
      return err('forbidden', 'lumin: call refused: it did not come from the Lumin window');
    }
    try {
      return await invoke(method, input);
    } catch (error) {
      // core.invoke reports failures as values; a throw is a bug, but the renderer still gets an answer.
      return err('internal', `${String(method)}: ${(error as Error).message}`);
    }
  });

  const unsubscribes = EVENT_NAMES.map((name) =>
    core.on(name, (payload) => {
      const window = getWindow();
      if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
    }),
  );

  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
