// Keeps `npm ci` working against registries that serve only some platforms' binaries.
// The registry our build machines use has no packages such as @rollup/rollup-android-arm64, so npm
// leaves them out of package-lock.json, and `npm ci` then refuses the lock as "out of sync". This
// adds an entry (version, os, cpu, optional) for each such optional platform package, so `npm ci`
// accepts the lock and skips them by platform, as it would with the public registry.
// Run after any `npm install` that rewrites package-lock.json: `node scripts/lockfile-optional-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'openharmony',
  'win32',
  'netbsd',
  'sunos',
  'aix',
  'wasm32',
];
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const tail = name.split('/').pop() ?? name;
    const tokens = tail.split('-');
    const osIndex = tokens.findIndex((token) => OS.includes(token));
    if (osIndex < 0) continue; // not a platform binary: leave it to npm
    const os = tokens[osIndex] === 'wasm32' ? null : tokens[osIndex];
    const cpuToken = tokens[osIndex] === 'wasm32' ? 'wasm32' : (tokens[osIndex + 1] ?? '');
    const cpu = cpuToken.startsWith('arm') && cpuToken !== 'arm64' ? 'arm' : cpuToken;
    packages[hoisted] = {
      version: String(version).replace(/^[~^]/, ''),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entries`);
