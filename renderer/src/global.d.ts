/** `window.lumin`, exposed by electron/preload/index.ts: the renderer's only way to the core. */
import type { LuminBridge } from '../../shared/contract/api';

declare global {
  interface Window {
    /** The Lumin API plus events; absent only when the page is opened outside the app. */
    lumin: LuminBridge;
  }
}

export {};
