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

/** TextDecoder's constructor options (WHATWG Encoding). */
interface TextDecoderOptions {
  /** Throw a TypeError on malformed input instead of writing U+FFFD. */
  fatal?: boolean;
  /** Keep a leading byte order mark as U+FEFF instead of dropping it. */
  ignoreBOM?: boolean;
}

/**
 * WHATWG TextDecoder, limited to the Unicode encodings: Node's windows-1252 decodes 0x80–0x9F as
 * Latin-1 since 20.18.3 (nodejs/node#60888), so shared/ decodes that one itself.
 */
declare class TextDecoder {
  constructor(label?: 'utf-8' | 'utf-16le' | 'utf-16be', options?: TextDecoderOptions);
  readonly encoding: string;
  /** `stream: true` keeps a character split at the end of `input` for the next call. */
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/** WHATWG TextEncoder: UTF-8, a lone surrogate becoming U+FFFD. */
declare class TextEncoder {
  readonly encoding: 'utf-8';
  encode(input?: string): Uint8Array;
}
