/**
 * Serves `lumin-cover://isbn/<ISBN-13>` from the core's cover cache (see cover-scheme.ts). The
 * scheme is registered before the app is ready; the handler once the core is open.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Core } from '../../workers/host/core';
import { COVER_SCHEME, coverContentType, coverRequestIsbn } from './cover-scheme';

/** Declares the scheme (must run before `app.whenReady()`). */
export function registerCoverScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: COVER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);
}

/** Answers cover requests from the cache (a 404 shows the generated tile). */
export function handleCovers(core: Core): () => void {
  protocol.handle(COVER_SCHEME, async (request) => {
    const isbn = coverRequestIsbn(request.url);
    const file = isbn ? await core.covers.file(isbn) : null;
    if (!file) return new Response(null, { status: 404 });
    return new Response(await readFile(file), {
      headers: { 'content-type': coverContentType(file), 'cache-control': 'no-store' },
    });
  });
  return () => protocol.unhandle(COVER_SCHEME);
}
