#!/usr/bin/env node
// The `lumin` command. Runs the bundled CLI in out/cli/ (built by `npm ci`; in a git checkout rebuilt
// here whenever a source file it was built from has changed), so a command starts without compiling
// TypeScript. LUMIN_FROM_SOURCE=1 runs the TypeScript source through tsx instead (development, debugging).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

const root = new URL('../', import.meta.url);

/**
 * Commands whose work grows with the library or that train models: they keep V8's optimizing
 * compiler for WebAssembly. Every other command answers from an existing library in well under a
 * second, and there compiling Postgres's hot functions with TurboFan (in the background, on a
 * 9 MB module) costs more than it saves: `status` and `recommend` used about half the CPU time
 * with Liftoff alone (measured with /usr/bin/time: recommend 1.64 → 0.80 s user, status 1.27 →
 * 0.65 s). Even a 3,000-book import or embedding pass was cheaper, but those grow without bound.
 */
const LONG_COMMANDS = new Set(['import', 'export', 'embed', 'backup', 'restore', 'sync', 'ml', 'jobs']);

/** The command name in `argv` (the first word that is not a global option or its value). */
function commandName(argv) {
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index];
    if (word === '--data-dir') index += 1;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

/**
 * The build out/cli points at, resolved once (a rebuild meanwhile switches the link, and the worker
 * and the entry must come from the same build), when it is newer than every source file it was made
 * from. Only a git checkout has sources that can change under the bundle; an installed package runs
 * the build it shipped with.
 */
function freshBuild() {
  try {
    const folder = pathToFileURL(`${realpathSync(new URL('out/cli', root))}/`);
    const { builtAt, sources } = JSON.parse(readFileSync(new URL('sources.json', folder), 'utf8'));
    if (sources.length === 0) return null;
    if (!existsSync(new URL('.git', root))) return folder;
    return sources.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt) ? folder : null;
  } catch {
    return null; // no build yet, or a source file it names is gone
  }
}

/**
 * Starts the db worker of `folder` now, so it loads its modules (PGlite, the handlers) on the other
 * core while this thread loads the CLI: status and recommend finished 90–180 ms sooner. The core's
 * first `startWorker('db')` takes it (workers/host/spawn.ts); until then it is unref'd, so a command
 * that never opens the core exits as before, and one that died is forgotten (a new one is started).
 */
function startDbWorkerEarly(folder) {
  const slot = Symbol.for('lumin.earlyDbWorker');
  const worker = new Worker(new URL('db-worker.js', folder), { name: 'lumin-db' });
  worker.unref();
  const forget = () => {
    if (globalThis[slot] === worker) delete globalThis[slot];
  };
  worker.on('error', forget).on('exit', forget);
  globalThis[slot] = worker;
}

/** Commands that open no core: no early db worker for them. */
const NO_CORE = new Set([undefined, 'help', 'unlock']);

async function loadMain(argv) {
  if (process.env.LUMIN_FROM_SOURCE !== '1') {
    let folder = freshBuild();
    if (!folder) {
      const script = new URL('scripts/build-cli.ts', root);
      const build = spawnSync(process.execPath, ['--import', 'tsx', script.pathname, '--quiet'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      folder = build.status === 0 ? freshBuild() : null;
      if (!folder) process.stderr.write('lumin: could not build the CLI bundle; running from source\n');
    }
    if (folder) {
      const help = argv.includes('--help') || argv.includes('-h');
      if (!help && !NO_CORE.has(commandName(argv))) startDbWorkerEarly(folder);
      return (await import(new URL('lumin.js', folder).href)).main;
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/main.ts')).main;
}

const argv = process.argv.slice(2);
// Before any WebAssembly is compiled: the flag applies to the modules compiled after it, in every thread.
if (!LONG_COMMANDS.has(commandName(argv) ?? '')) setFlagsFromString('--liftoff-only');
const main = await loadMain(argv);
process.exitCode = await main(argv);
