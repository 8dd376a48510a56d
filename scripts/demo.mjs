// `npm run demo`: a headless tour of Lumin through the CLI, on a throwaway library
// (LUMIN_DATA_DIR, default .lumin-demo/ in this folder), printing each command and its output.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.LUMIN_DATA_DIR || join(root, '.lumin-demo');
rmSync(dataDir, { recursive: true, force: true });

function lumin(...args) {
  process.stdout.write(`\n$ lumin ${args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ')}\n`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'bin', 'lumin.js'), '--data-dir', dataDir, ...args],
    { stdio: 'inherit' },
  );
  if (result.status !== 0 && !args.includes('--expect-failure')) process.exit(result.status ?? 1);
}

const sample = join(root, 'resources', 'sample');

// A school library's catalogue and a class roster, as a teacher would drop them in.
lumin('import', join(sample, 'catalog.csv'));
lumin('import', join(sample, 'students.csv'), '--class', 'Room 4');
// Their reading this term (finishes, checkouts, ratings, thumbs…).
process.stdout.write(`\n$ (load resources/sample/history.csv)\n`);
const history = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'scripts', 'demo-history.ts'), dataDir, join(sample, 'history.csv')],
  { stdio: 'inherit', cwd: root },
);
if (history.status !== 0) process.exit(history.status ?? 1);

// Content vectors with the bundled offline model, then the nightly collaborative retrain.
lumin('embed', '--wait');
lumin('jobs', 'run', 'nightly');

// Recommendations with explanations: a reader with history, and a cold one (profile only).
lumin('recommend', 'Ada Park', '--k', '5', '--explain');
lumin('recommend', 'Nell Okafor', '--k', '5', '--explain');
lumin('similar', 'Holes', '--k', '3');
// A thumbs-down changes the next list at once.
lumin('feedback', 'Ada Park', 'The Hobbit', 'down');
lumin('recommend', 'Ada Park', '--k', '5');
lumin('group', 'Ada Park', 'Milo Quinn', 'Zuri Bell', '--k', '3');
lumin('stats');
lumin('status');
process.stdout.write(
  `\nThe demo library is in ${dataDir}. Try: npm run lumin -- --data-dir ${dataDir} recommend "Theo Marsh" --explain\n`,
);
