/**
 * Covers from the internet, off until the teacher turns on `covers.fromInternet`. Then a cover is
 * fetched by ISBN from the allowlisted cover host (Open Library), through the egress module (no
 * cookies, no referrer, nothing but the ISBN in the request), and kept in `<dataDir>/covers/`. The
 * renderer only ever shows cached files (the desktop app serves them on its own `lumin-cover:` scheme);
 * cover addresses named in imported files are never fetched.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Result } from '../../shared/contract/errors';
import { COVERS_ORIGIN } from '../../shared/egress/destinations';
import { egressFetch } from '../egress/fetch';

/** Where covers come from. Production: Open Library. Tests redirect it to a server on 127.0.0.1. */
export interface CoverOptions {
  /**
   * The cover host's origin (test hook: a local server; default `https://covers.openlibrary.org`).
   * Only this origin, and Open Library's archive.org redirect targets in production, may be reached.
   */
  origin?: string;
}

/** Largest cover accepted. */
const MAX_BYTES = 2 * 1024 * 1024;
/** A book with no cover is asked again after a week. */
const MISSING_RETRY_MS = 7 * 24 * 3_600_000;
const TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** True for an ISBN-13 (the only key a cover request may carry). */
export function isIsbn13(value: string): boolean {
  return /^97[89]\d{10}$/.test(value);
}

/** The cover cache. */
export function createCovers(options: {
  dataDir: string;
  setting: (key: 'covers.fromInternet') => Promise<Result<unknown>>;
  cover?: CoverOptions;
}) {
  const origin = new URL(options.cover?.origin ?? COVERS_ORIGIN).origin;
  const production = origin === COVERS_ORIGIN;
  const folder = join(options.dataDir, 'covers');
  const enabled = async () => {
    const result = await options.setting('covers.fromInternet');
    return result.ok && (result.value as { value: unknown }).value === true;
  };
  const send = egressFetch({
    kind: 'covers',
    enabled,
    // Open Library answers with a redirect to its archive.org storage.
    allow: (url) => url.origin === origin || (production && url.hostname.endsWith('.archive.org')),
  });
  const running = new Map<string, Promise<string | null>>();

  const cached = (isbn: string): string | null => {
    for (const extension of Object.values(TYPES)) {
      const path = join(folder, `${isbn}.${extension}`);
      if (existsSync(path)) return path;
    }
    return null;
  };

  async function download(isbn: string): Promise<string | null> {
    const missing = join(folder, `${isbn}.missing`);
    if (existsSync(missing) && Date.now() - statSync(missing).mtimeMs < MISSING_RETRY_MS) return null;
    if (!(await enabled())) return null;
    let response: Response;
    try {
      response = await send(`${origin}/b/isbn/${isbn}-M.jpg?default=false`, {
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      return null; // offline, refused or too slow: the generated tile shows
    }
    mkdirSync(folder, { recursive: true });
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const extension = TYPES[type];
    if (response.status === 404 || (response.ok && !extension)) {
      await response.body?.cancel().catch(() => undefined);
      writeFileSync(missing, '');
      return null;
    }
    if (!response.ok || !extension) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length === 0 || bytes.length > MAX_BYTES) return null;
    const path = join(folder, `${isbn}.${extension}`);
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
    return path;
  }

  return {
    /**
     * The cached cover file of `isbn`, fetching it first when covers from the internet are on; null
     * when there is none (off, offline, no cover, not an ISBN-13).
     */
    async file(isbn: string): Promise<string | null> {
      if (!isIsbn13(isbn)) return null;
      const hit = cached(isbn);
      if (hit) return hit;
      let run = running.get(isbn);
      if (!run) {
        run = download(isbn).finally(() => running.delete(isbn));
        running.set(isbn, run);
      }
      return run;
    },
  };
}

/** The cover cache's type. */
export type Covers = ReturnType<typeof createCovers>;
