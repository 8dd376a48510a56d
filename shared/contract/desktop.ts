/**
 * `window.luminDesktop`: what only the desktop app offers beside the contract (exposed by
 * electron/preload/index.ts; absent in a browser, where the renderer hides these features).
 */

/** Desktop-only services for the renderer. */
export interface LuminDesktop {
  /** Shows the data folder in the system's file manager. */
  revealDataFolder(): Promise<void>;
  /** Opens an https link in the default browser when its host is on the allowlist; false when refused. */
  openExternal(url: string): Promise<boolean>;
  /** Asks for a file to import with the system's file dialog; null when the user cancels. */
  chooseImportFile(): Promise<string | null>;
  /** Calls `listener` with the path chosen through File › Import… (Cmd/Ctrl+O); returns an unsubscribe function. */
  onImportFile(listener: (path: string) => void): () => void;
}
