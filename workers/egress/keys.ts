/**
 * API keys and device tokens are stored per origin: the key saved for `https://api.openai.com` is
 * only ever sent there, and a base URL changed in Settings, by a restored backup or by the renderer
 * finds no key for its new origin, so nothing is sent but the request itself. Backups never hold
 * secrets (they live in `<dataDir>/secrets` or the OS keychain, not in the database).
 *
 * OpenAI's key keeps its historical secret name (`openai-api-key`), and `LUMIN_OPENAI_API_KEY`
 * applies to OpenAI's origin only.
 */
import { createHash } from 'node:crypto';
import { OPENAI_BASE_URL, OPENAI_ORIGIN, originOf } from '../../shared/egress/destinations';
import { OPENAI_KEY_ENV, OPENAI_KEY_SECRET, type SecretStore } from './secrets';
import type { Credential } from './fetch';

export { OPENAI_BASE_URL };

/** The secret a sync device token is stored under, and the secret naming the origin it belongs to. */
export const SYNC_ORIGIN_SECRET = 'sync-device-origin';

/** The origin of a base URL ('' means OpenAI's); null when it is not a URL. */
export function keyOrigin(baseUrl: string): string | null {
  if (!baseUrl.trim()) return OPENAI_ORIGIN;
  const origin = originOf(baseUrl.trim(), '');
  return origin && origin !== 'null' ? origin : null;
}

/** True for OpenAI's own origins (api.openai.com and regional ones such as eu.api.openai.com). */
export function isOpenAiOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return origin.startsWith('https:') && (host === 'api.openai.com' || host.endsWith('.api.openai.com'));
  } catch {
    return false;
  }
}

/** The secret name of the key for `origin`. */
export function keySecretName(origin: string): string {
  if (origin === OPENAI_ORIGIN) return OPENAI_KEY_SECRET;
  return `api-key.${createHash('sha256').update(origin).digest('hex').slice(0, 40)}`;
}

/**
 * The key stored for `baseUrl`'s origin, bound to that origin, or null. The environment variable
 * counts for OpenAI's origin only: it must not follow a base URL somewhere else.
 */
export async function credentialFor(
  secrets: SecretStore,
  baseUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credential | null> {
  const origin = keyOrigin(baseUrl);
  if (!origin) return null;
  const fromEnv = isOpenAiOrigin(origin) ? env[OPENAI_KEY_ENV]?.trim() : undefined;
  const token = fromEnv || (await secrets.get(keySecretName(origin)))?.trim();
  return token ? { origin, token } : null;
}

/** Stores (or with null forgets) the key for `baseUrl`'s origin. */
export async function storeKey(secrets: SecretStore, baseUrl: string, key: string | null): Promise<string> {
  const origin = keyOrigin(baseUrl);
  if (!origin) throw new RangeError(`'${baseUrl}' is not a URL`);
  await secrets.set(keySecretName(origin), key);
  return origin;
}

/**
 * The sync device token, bound to the server it was issued by: null when the token belongs to
 * another origin than `serverUrl` (a restored backup or a changed setting cannot redirect it).
 */
export async function syncCredential(
  secrets: SecretStore,
  tokenName: string,
  serverUrl: string,
): Promise<Credential | null> {
  const [token, bound] = await Promise.all([secrets.get(tokenName), secrets.get(SYNC_ORIGIN_SECRET)]);
  const origin = originOf(serverUrl, '');
  if (!token || !bound || bound !== origin) return null;
  return { origin, token };
}
