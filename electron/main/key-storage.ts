/**
 * How the desktop app may store an API key, decided from what Electron's safeStorage reports. On
 * Linux without a keyring, safeStorage falls back to `basic_text`: "encrypted" with a hard-coded
 * password, as good as plain text. Then the app says so and asks before storing a key.
 *
 * This module imports nothing from Electron, so unit tests cover the decision.
 */

/** What to do with a key to store. */
export type KeyStoragePlan =
  /** The OS keychain (or DPAPI, libsecret, kwallet) protects it: store it. */
  | { action: 'store' }
  /** Only obfuscation is available: tell the user and store only if they agree. */
  | { action: 'ask'; message: string }
  /** No encryption at all: refuse. */
  | { action: 'refuse'; message: string };

/** The message shown when the key would be stored without real encryption. */
export const WEAK_STORAGE_MESSAGE =
  'This computer has no password manager (keyring) Lumin can use, so the API key would be stored without real encryption: anyone who can read your files could read it. Store it anyway? (Alternatively, set LUMIN_OPENAI_API_KEY in the environment.)';

/** The plan for `platform` given safeStorage's answers (`backend` is Linux's selected backend). */
export function keyStoragePlan(
  platform: string,
  encryptionAvailable: boolean,
  backend: string | null,
): KeyStoragePlan {
  if (!encryptionAvailable)
    return {
      action: 'refuse',
      message: 'this system offers no encrypted storage for the API key; set LUMIN_OPENAI_API_KEY instead',
    };
  if (platform === 'linux' && (backend === 'basic_text' || backend === 'unknown'))
    return { action: 'ask', message: WEAK_STORAGE_MESSAGE };
  return { action: 'store' };
}
