/**
 * The desktop app's secret store: values encrypted with Electron's safeStorage (the OS keychain on
 * macOS, DPAPI on Windows, libsecret/kwallet on Linux) in `<userData>/secrets/<name>.enc`, mode 0600.
 * When the OS offers no encryption it refuses to store; when Linux has no keyring (safeStorage's
 * `basic_text` backend, as good as plain text) it says so and stores only if the user agrees
 * (`confirmWeakStorage`); the user can always use `LUMIN_OPENAI_API_KEY` instead.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../../workers/egress/secrets';
import { keyStoragePlan } from './key-storage';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A {@link SecretStore} over safeStorage-encrypted files in `directory`. */
export function safeStorageSecrets(
  directory: string,
  confirmWeakStorage: (message: string) => Promise<boolean> = async () => false,
): SecretStore {
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
      const plan = keyStoragePlan(
        process.platform,
        safeStorage.isEncryptionAvailable(),
        process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
      );
      if (plan.action === 'refuse') throw new Error(plan.message);
      if (plan.action === 'ask' && !(await confirmWeakStorage(plan.message)))
        throw new Error('not stored: this system has no keyring (set LUMIN_OPENAI_API_KEY instead)');
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      const temporary = `${file(name)}.${process.pid}.tmp`;
      writeFileSync(temporary, safeStorage.encryptString(value), { mode: 0o600 });
      renameSync(temporary, file(name));
    },
  };
}
