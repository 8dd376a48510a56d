#!/usr/bin/env node
// The `lumin` command. Runs the bundled CLI in out/cli/ (built by `npm ci` and rebuilt here whenever a
// source file it was built from has changed), so a command starts without compiling TypeScript.
// LUMIN_FROM_SOURCE=1 runs the TypeScript source through tsx instead (development, debugging).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Whether out/cli holds a build newer than every source file it was made from. */
function bundleIsFresh() {
  try {
    const { builtAt, sources } = JSON.parse(readFileSync(new URL('out/cli/sources.json', root), 'utf8'));
    return sources.length > 0 && sources.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt);
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

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
