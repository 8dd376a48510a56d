// shared/ runs in Node, workers, Electron and the browser; it may rely only on what all of them have.
declare const console: {
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  log(...data: unknown[]): void;
};

/** WHATWG URL (Node, workers, Electron and browsers all have it): only what shared/ reads. */
declare class URL {
  constructor(url: string, base?: string);
  readonly origin: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
}
