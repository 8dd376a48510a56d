// shared/ runs in Node, workers, Electron and the browser; it may rely only on what all of them have.
declare const console: {
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  log(...data: unknown[]): void;
};
