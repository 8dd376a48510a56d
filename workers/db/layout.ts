/**
 * Where things live inside a Lumin data directory, and where the code's own files are.
 *
 *   DIR/lumin.lock   the exclusive lock (pid, host, start time)
 *   DIR/pgdata/      the PGlite (Postgres) cluster: only the db worker opens it
 *   DIR/backups/     automatic and manual snapshots (`*.tar.gz`)
 *   DIR/models/      downloaded embedding models (transformers.js file cache: <repo>/<revision>/<file>)
 *   DIR/secrets/     the CLI's API key file (0600; the desktop app uses safeStorage instead)
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths inside one data directory. */
export function dataLayout(dataDir: string): {
  lock: string;
  pgdata: string;
  backups: string;
  models: string;
  secrets: string;
} {
  return {
    lock: join(dataDir, 'lumin.lock'),
    pgdata: join(dataDir, 'pgdata'),
    backups: join(dataDir, 'backups'),
    models: join(dataDir, 'models'),
    secrets: join(dataDir, 'secrets'),
  };
}

/**
 * The file written once every file of hub model `repo` at `revision` is in the data folder; from then
 * on the model loads with remote access off.
 */
export function downloadedMarker(dataDir: string, repo: string, revision: string): string {
  return join(dataLayout(dataDir).models, repo, revision, '.lumin-complete');
}

/**
 * The real folder of a path inside a packaged app: files electron-builder unpacks (electron-builder.yml
 * `asarUnpack`) live under `app.asar.unpacked/`, and what copies them (cpSync of the template) or hands
 * them to native code (the ONNX runtime) needs that path, not the archive's.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}

/** The models shipped in resources/models (the bundled offline model). */
export function bundledModelsDir(): string {
  return unpackedPath(join(packageRoot(), 'resources', 'models'));
}

let cachedRoot: string | undefined;

/**
 * The package root (the folder holding Lumin's package.json), found by walking up from this module:
 * the same answer from source (tsx, vitest), from the electron-vite bundle in out/, or a packaged app.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      existsSync(join(directory, 'package.json')) &&
      existsSync(join(directory, 'workers', 'db', 'migrations'))
    )
      return (cachedRoot = directory);
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`lumin: cannot find the package root above ${import.meta.url}`);
    directory = parent;
  }
}

/** The numbered SQL migrations shipped with the code. */
export function migrationsDir(): string {
  return join(packageRoot(), 'workers', 'db', 'migrations');
}

/** The initialised, empty Postgres cluster made at build time (`npm run build:pgdata`). */
export function templateDir(): string {
  return unpackedPath(join(packageRoot(), 'resources', 'pgdata-template'));
}
