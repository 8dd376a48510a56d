/**
 * Builds the `lumin` command into out/cli/: the CLI and the core's worker threads as bundled ESM
 * (dependencies stay in node_modules), so a command starts in milliseconds instead of paying tsx's
 * on-the-fly compilation. `npm ci` runs it (the `prepare` script); bin/lumin.js runs it again when a
 * source file the bundle was built from has changed since.
 *
 *   node --import tsx scripts/build-cli.ts [--quiet]
 *
 * Each build goes to its own folder under out/cli-builds/ and out/cli is then switched to it by one
 * rename, so a command starting meanwhile sees the old build or the new one, never half of one.
 * out/cli/sources.json lists the sources (relative to the package root) and when the build started.
 */
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './bundle-for-node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI entry and every worker thread it may start (workers/host/spawn.ts finds them beside it). */
export const CLI_ENTRIES: Record<string, string> = {
  lumin: 'cli/main.ts',
  'db-worker': 'workers/db/worker.ts',
  'embed-worker': 'workers/embed/worker.ts',
  'als-worker': 'workers/ml/als-worker.ts',
  'tune-worker': 'workers/offline/tune-worker.ts',
};

/**
 * Whether out/cli holds a build newer than every source file it was made from (bin/lumin.js makes
 * the same check before each command in a git checkout).
 */
export function cliBundleIsFresh(): boolean {
  try {
    const { builtAt, sources } = JSON.parse(
      readFileSync(join(root, 'out', 'cli', 'sources.json'), 'utf8'),
    ) as {
      builtAt: number;
      sources: string[];
    };
    return sources.length > 0 && sources.every((path) => statSync(join(root, path)).mtimeMs <= builtAt);
  } catch {
    return false; // no build yet, or a source file it names is gone
  }
}

/** Files that shape the bundle besides the sources it is made from. */
const BUILD_INPUTS = ['scripts/build-cli.ts', 'scripts/bundle-for-node.ts', 'package.json'];

/** Builds the CLI bundle and points out/cli at it; returns the build folder. */
export async function buildCli(): Promise<string> {
  const startedAt = Date.now();
  const builds = join(root, 'out', 'cli-builds');
  const id = `${startedAt.toString(36)}-${process.pid}`;
  const folder = join(builds, id);
  const inputs = Object.fromEntries(
    Object.entries(CLI_ENTRIES).map(([name, source]) => [name, join(root, source)]),
  );
  // The build's own scripts and package.json (zod's version) count as sources too.
  const sources = [
    ...(await bundleForNode(root, folder, inputs)),
    ...BUILD_INPUTS.map((path) => join(root, path)),
  ];
  writeFileSync(
    join(folder, 'sources.json'),
    `${JSON.stringify({ builtAt: startedAt, sources: sources.map((path) => relative(root, path)) })}\n`,
  );
  const link = join(root, 'out', 'cli');
  const staged = join(root, 'out', `cli.${id}`);
  symlinkSync(join('cli-builds', id), staged, 'dir');
  // rename() replaces an old link in one step; only a real folder left by hand has to go first.
  const existing = lstatSync(link, { throwIfNoEntry: false });
  if (existing?.isDirectory()) rmSync(link, { recursive: true, force: true });
  renameSync(staged, link);
  // Keep the newest two builds: a command started a moment ago may still load workers from the previous one.
  const older = readdirSync(builds).sort().reverse().slice(2);
  for (const name of older) if (name !== id) rmSync(join(builds, name), { recursive: true, force: true });
  return folder;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(join(root, 'out'), { recursive: true });
  const started = performance.now();
  const folder = await buildCli();
  if (!process.argv.includes('--quiet'))
    process.stdout.write(
      `lumin CLI bundle in ${relative(root, folder)} (${Math.round(performance.now() - started)} ms)\n`,
    );
}
