/**
 * The IPC channels between the main process (electron/main/bridge.ts, desktop.ts) and the preload.
 * A module of its own, with no imports, so the sandboxed preload's bundle takes these names without
 * pulling in the main-process world.
 */

/** The channel of calls (`ipcRenderer.invoke`). */
export const INVOKE_CHANNEL = 'lumin:invoke';
/** The channel of events (`webContents.send`). */
export const EVENT_CHANNEL = 'lumin:event';

/** The channels of `window.luminDesktop`'s extras. */
export const DESKTOP_CHANNELS = {
  reveal: 'lumin:desktop:reveal',
  openExternal: 'lumin:desktop:open-external',
  chooseImportFile: 'lumin:desktop:choose-import-file',
  importDroppedFile: 'lumin:desktop:import-dropped-file',
  chooseSaveTarget: 'lumin:desktop:choose-save-target',
  importFile: 'lumin:desktop:import-file',
} as const;
