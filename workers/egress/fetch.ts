/**
 * The one way out of the device. Every outbound request (chat, embeddings, covers, model downloads,
 * sync) is made by a fetch this module builds for a destination kind of `shared/egress/destinations.ts`;
 * ESLint forbids `fetch`, `http`, `https`, `undici` and `openai` everywhere else (eslint.config.js).
 *
 * Each request is checked here, whoever builds it:
 * - the kind's feature must be on (`enabled`), and the kind must allow every payload part the caller
 *   declares (`assertCarries`);
 * - `https:` only, `http:` for loopback hosts alone; hosts outside the kind's allowlist are refused;
 * - no cookies, no referrer, no caller-set Authorization: a credential (API key, device token) is set
 *   here, and only on requests to the origin it was stored for, so a changed base URL or a redirect
 *   never carries it elsewhere;
 * - redirects are followed by hand, each hop checked like the first (at most five).
 */
import { type EgressKind, type PayloadPart, destination } from '../../shared/egress/destinations';

/** Thrown when a request is refused before it leaves; the message says why and is safe to show. */
export class EgressRefused extends Error {
  override readonly name = 'EgressRefused';
  constructor(
    readonly kind: EgressKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** A secret bound to the origin it was stored for. */
export interface Credential {
  origin: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** How one kind's fetch behaves. */
export interface EgressOptions {
  kind: EgressKind;
  /** Whether the kind's feature is on now (asked before every request). Default: on. */
  enabled?: () => boolean | Promise<boolean>;
  /** The hosts this kind may reach, beyond the scheme rules (covers, model downloads). Default: any. */
  allow?: (url: URL) => boolean;
  /** The credential to attach, to its own origin only. */
  credential?: Credential | null;
}

const MAX_REDIRECTS = 5;

/** True for hosts that never leave the machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why `raw` cannot be a destination (`http:` to a host that is not loopback, another scheme, not a
 * URL), or null when it can.
 */
export function destinationProblem(raw: string | URL): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${String(raw)}' is not a URL`;
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return isLoopback(url.hostname)
      ? null
      : `http:// is allowed only for this computer (localhost, 127.0.0.1); use https:// for ${url.host}`;
  return `${url.protocol} addresses cannot be reached`;
}

/** Refuses a payload part that `kind` may not carry (see the table's `carries`). */
export function assertCarries(kind: EgressKind, parts: Iterable<PayloadPart>): void {
  const allowed = destination(kind).carries;
  for (const part of parts)
    if (!allowed.includes(part))
      throw new EgressRefused(kind, `may not carry ${part} (only ${allowed.join(', ')})`);
}

function headersOf(input: string | URL | Request, init: RequestInit | undefined): Headers {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  for (const name of ['authorization', 'cookie', 'referer', 'proxy-authorization']) headers.delete(name);
  return headers;
}

/**
 * A fetch for `options.kind`. Use it wherever a library takes a `fetch` (the openai SDK,
 * transformers.js's `env.fetch`) or call it directly.
 */
export function egressFetch(options: EgressOptions): typeof fetch {
  const { kind } = options;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (options.enabled && !(await options.enabled()))
      throw new EgressRefused(
        kind,
        `${destination(kind).feature} is off (setting ${destination(kind).setting})`,
      );
    let url = new URL(input instanceof Request ? input.url : String(input));
    const base = headersOf(input, init);
    let method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const {
      body: initialBody,
      headers: _headers,
      method: _method,
      redirect: _redirect,
      ...rest
    } = init ?? {};
    let body = initialBody;
    for (let hop = 0; ; hop++) {
      const problem = destinationProblem(url);
      if (problem) throw new EgressRefused(kind, problem);
      if (options.allow && !options.allow(url))
        throw new EgressRefused(kind, `${url.host} is not an allowed host`);
      const headers = new Headers(base);
      if (options.credential && options.credential.origin === url.origin)
        headers.set('authorization', `Bearer ${options.credential.token}`);
      // The only call of the global fetch in the core (eslint.config.js allows it in this folder).
      const response = await globalThis.fetch(url, {
        ...rest,
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      if (hop >= MAX_REDIRECTS) throw new EgressRefused(kind, `too many redirects from ${url.host}`);
      await response.body?.cancel().catch(() => undefined);
      url = new URL(location, url);
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        base.delete('content-type');
      }
    }
  };
}
