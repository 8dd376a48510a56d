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

lumin('classes', 'add', 'Room 4', '--grade', '4');
lumin(
  'readers',
  'add',
  'Ada',
  '--grade',
  '4',
  '--age',
  '9',
  '--level',
  '650L',
  '--interests',
  'space, dragons',
  '--class',
  'Room 4',
);
lumin(
  'readers',
  'add',
  'Sam',
  '--grade',
  '4',
  '--age',
  '10',
  '--level',
  'P',
  '--interests',
  'sports, mysteries',
  '--class',
  'Room 4',
);
lumin(
  'books',
  'add',
  'Holes',
  '--author',
  'Louis Sachar',
  '--isbn',
  '978-0-440-41480-3',
  '--year',
  '1998',
  '--level',
  '660L',
);
lumin(
  'books',
  'add',
  'Hatchet',
  '--author',
  'Gary Paulsen',
  '--isbn',
  '0689840926',
  '--year',
  '1987',
  '--level',
  '1020L',
);
lumin(
  'books',
  'add',
  'The Wild Robot',
  '--author',
  'Peter Brown',
  '--isbn',
  '9780316381994',
  '--year',
  '2016',
  '--level',
  '740L',
);
lumin('readers', 'list');
lumin('books', 'list');
lumin('log', 'Ada', 'The Wild Robot', 'thumbs_up');
lumin('log', 'Ada', 'Holes', 'rating', '--value', '4.5');
lumin('log', 'Sam', 'Hatchet', 'checkout');
lumin('books', 'show', 'Holes');
lumin('status');
lumin('backup');
process.stdout.write(
  `\nThe demo library is in ${dataDir}. Try: npm run lumin -- --data-dir ${dataDir} readers list\n`,
);
