/**
 * The desktop app's secret store: values encrypted with Electron's safeStorage (the OS keychain on
 * macOS, DPAPI on Windows, libsecret/kwallet on Linux) in `<userData>/secrets/<name>.enc`, mode 0600.
 * When the OS offers no encryption (a bare Linux session), it refuses to store rather than silently
 * writing the key in plain text; the user can still use `LUMIN_OPENAI_API_KEY`.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../../workers/embed/secrets';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A {@link SecretStore} over safeStorage-encrypted files in `directory`. */
export function safeStorageSecrets(directory: string): SecretStore {
  const file = (name: string) => {
    if (!NAME.test(name)) throw new RangeError(`'${name}' is not a secret name`);
    return join(directory, `${name}.enc`);
  };
  return {
    async get(name) {
      let sealed: Buffer;
      try {
        sealed = readFileSync(file(name));
      } catch {
        return null;
      }
      if (!safeStorage.isEncryptionAvailable()) return null;
      return safeStorage.decryptString(sealed);
    },
    async set(name, value) {
      if (value === null) {
        rmSync(file(name), { force: true });
        return;
      }
      if (!safeStorage.isEncryptionAvailable())
        throw new Error(
          'this system offers no encrypted storage for the API key; set LUMIN_OPENAI_API_KEY instead',
        );
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      const temporary = `${file(name)}.${process.pid}.tmp`;
      writeFileSync(temporary, safeStorage.encryptString(value), { mode: 0o600 });
      renameSync(temporary, file(name));
    },
  };
}
