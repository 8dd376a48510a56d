/**
 * Which links leave the app for the default browser. The renderer may show links to book pages and
 * help; anything else (other schemes, unknown hosts, credentials in the URL) is refused, so a link in
 * imported data can never launch an arbitrary program or page.
 *
 * This module imports nothing from Electron: unit tests cover it directly.
 */

/** Hosts (and their subdomains) that open in the browser. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'openlibrary.org',
  'goodreads.com',
  'thestorygraph.com',
  'librarything.com',
  'github.com',
  'huggingface.co',
  'platform.openai.com',
];

/** True when `url` is an https link to an allowlisted host (or a subdomain of one) without credentials. */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  if (parsed.port && parsed.port !== '443') return false;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
