/**
 * Where the OpenAI API key lives. The CLI keeps it in `<dataDir>/secrets/openai-api-key` (mode 0600
 * in a 0700 folder, the way ssh keeps private keys); `LUMIN_OPENAI_API_KEY` overrides it so a key can
 * be supplied without ever touching the disk. The {@link SecretStore} interface lets the desktop app
 * swap in an OS-keychain-backed store (Electron's safeStorage) without changing callers.
 *
 * Nothing here logs, and no error message ever contains a secret's value.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable that overrides the stored key. */
export const OPENAI_KEY_ENV = 'LUMIN_OPENAI_API_KEY';
/** The secret name the OpenAI key is stored under. */
export const OPENAI_KEY_SECRET = 'openai-api-key';

/** Named secrets (API keys). Implementations must never log or echo a value. */
export interface SecretStore {
  /** The secret called `name`, or `null` when none is stored. */
  get(name: string): Promise<string | null>;
  /** Stores `value` under `name`, replacing any earlier one; `null` deletes it. */
  set(name: string, value: string | null): Promise<void>;
}

/** Thrown when a stored secret cannot be used (readable by others, not a file); its message is safe to show. */
export class SecretFileError extends Error {
  override readonly name = 'SecretFileError';
  constructor(
    message: string,
    /** The offending file. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** Names double as file names, so they must not be able to climb out of the secrets folder. */
const SECRET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Windows has no POSIX modes (stat reports 0o666 for every file): the permission checks are skipped there. */
const POSIX = process.platform !== 'win32';

/** The folder holding a data directory's secrets. */
export function secretsDir(dataDir: string): string {
  return join(dataDir, 'secrets');
}

/** The file a secret called `name` is kept in. */
export function secretPath(dataDir: string, name: string): string {
  if (!SECRET_NAME.test(name))
    throw new RangeError(`'${name}' is not a secret name (lowercase letters, digits, - . _)`);
  return join(secretsDir(dataDir), name);
}

/**
 * A {@link SecretStore} over files in `<dataDir>/secrets/`: one file per secret, mode 0600, in a
 * 0700 folder. Reading refuses a file that group or others may read or write, because the key could
 * already have leaked (or been replaced) and the user should know, rather than have us quietly
 * tighten it.
 */
export function fileSecretStore(dataDir: string): SecretStore {
  return {
    get: (name) => readSecretFile(secretPath(dataDir, name)),
    set: (name, value) => writeSecretFile(dataDir, secretPath(dataDir, name), value),
  };
}

/**
 * The OpenAI API key from `env.LUMIN_OPENAI_API_KEY` (which wins, so CI and one-off runs need no
 * file) or else `store`; `null` when neither has one. Blank values count as absent.
 *
 * @throws SecretFileError when the stored file is readable by others (see {@link fileSecretStore}).
 */
export async function readOpenAiKeyFrom(
  store: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const fromEnv = env[OPENAI_KEY_ENV]?.trim();
  if (fromEnv) return fromEnv;
  return (await store.get(OPENAI_KEY_SECRET))?.trim() || null;
}

/** {@link readOpenAiKeyFrom} the data directory's file store: env var first, then `<dataDir>/secrets/openai-api-key`. */
export function readOpenAiKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  return readOpenAiKeyFrom(fileSecretStore(dataDir), env);
}

/** Saves the OpenAI key in `<dataDir>/secrets/openai-api-key` (atomically, mode 0600); `null` deletes it. */
export function writeOpenAiKey(dataDir: string, key: string | null): Promise<void> {
  return fileSecretStore(dataDir).set(OPENAI_KEY_SECRET, key);
}

async function readSecretFile(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    // fstat the opened file, not the path: no window for a swap between the check and the read.
    const info = await handle.stat();
    if (!info.isFile()) throw new SecretFileError(`${path} is not a regular file`, path);
    if (POSIX && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw new SecretFileError(
        `refusing to use ${path}: other users can access it (mode ${mode}). Run \`chmod 600 ${path}\` and try again (and replace the key if others may have read it).`,
        path,
      );
    }
    const text = (await handle.readFile('utf8')).trim();
    return text || null;
  } finally {
    await handle.close();
  }
}

async function writeSecretFile(dataDir: string, path: string, value: string | null): Promise<void> {
  if (value === null) {
    await rm(path, { force: true });
    return;
  }
  const secret = value.trim();
  if (!secret) throw new RangeError('a secret must not be empty (pass null to delete it)');
  // A line break or control character would split the Authorization header (and never belongs in a key).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(secret)) throw new RangeError('a secret must be a single line');
  const folder = secretsDir(dataDir);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // mkdir's mode is cut by the umask and ignored for an existing folder: set it outright.
  if (POSIX && ((await stat(folder)).mode & 0o777) !== 0o700) await chmod(folder, 0o700);

  // Write a private temp file beside the target and rename it over: readers see the old key or the
  // new one, never half a key, and the file is never briefly readable by others.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // the umask may have cut the owner's bits too
      await handle.writeFile(`${secret}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes the rename durable across a power cut; best effort (not every platform lets a folder be fsynced). */
async function syncFolder(folder: string): Promise<void> {
  if (!POSIX) return;
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability is a bonus here; the key is already in place.
  }
}
