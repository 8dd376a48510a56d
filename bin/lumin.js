#!/usr/bin/env node
// The `lumin` command. Runs the bundled CLI in out/cli/ (built by `npm ci`; in a git checkout rebuilt
// here whenever a source file it was built from has changed), so a command starts without compiling
// TypeScript. LUMIN_FROM_SOURCE=1 runs the TypeScript source through tsx instead (development, debugging).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

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
 * Whether out/cli holds a build newer than every source file it was made from. Only a git checkout
 * has sources that can change under the bundle; an installed package runs the build it shipped with.
 */
function bundleIsFresh() {
  try {
    const { builtAt, sources } = JSON.parse(readFileSync(new URL('out/cli/sources.json', root), 'utf8'));
    if (sources.length === 0) return false;
    if (!existsSync(new URL('.git', root))) return true;
    return sources.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt);
  } catch {
    return false; // no build yet, or a source file it names is gone
  }
}

async function loadMain() {
  if (process.env.LUMIN_FROM_SOURCE !== '1') {
    let fresh = bundleIsFresh();
    if (!fresh) {
      const script = new URL('scripts/build-cli.ts', root);
      const build = spawnSync(process.execPath, ['--import', 'tsx', script.pathname, '--quiet'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      fresh = build.status === 0 && bundleIsFresh();
      if (!fresh) process.stderr.write('lumin: could not build the CLI bundle; running from source\n');
    }
    if (fresh) return (await import(new URL('out/cli/lumin.js', root).href)).main;
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/main.ts')).main;
}

const argv = process.argv.slice(2);
// Before any WebAssembly is compiled: the flag applies to the modules compiled after it, in every thread.
if (!LONG_COMMANDS.has(commandName(argv) ?? '')) setFlagsFromString('--liftoff-only');
const main = await loadMain();
process.exitCode = await main(argv);
