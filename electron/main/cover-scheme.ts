/**
 * The `lumin-cover:` scheme: the renderer shows covers as `lumin-cover://isbn/<ISBN-13>`, and the
 * main process answers from the core's cover cache (which fetches by ISBN from the allowlisted cover
 * host only while "covers from the internet" is on). Nothing else is served: no paths, no URLs.
 *
 * This module imports nothing from Electron, so the CSP and the tests can use it.
 */

/** The scheme's name. */
export const COVER_SCHEME = 'lumin-cover';

/** The ISBN-13 a `lumin-cover://isbn/<isbn>` URL asks for, or null for anything else. */
export function coverRequestIsbn(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${COVER_SCHEME}:` || parsed.host !== 'isbn') return null;
  const isbn = parsed.pathname.replace(/^\//, '');
  return /^97[89]\d{10}$/.test(isbn) ? isbn : null;
}

/** The content type of a cached cover file, by its extension. */
export function coverContentType(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (
    { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' }[extension] ??
    'application/octet-stream'
  );
}
