/**
 * `lumin embed`, `lumin models list|use|key` and `lumin similar` as a user runs them. Most commands
 * run `main` in-process (each still opens and closes the core on a real data directory); `models key`
 * runs as a real process because it reads the key from stdin.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { Job } from '../../shared/contract/domain';
import type {
  EmbeddingModelInfo,
  EmbeddingStatus,
  ModelSwitch,
  SimilarBook,
} from '../../shared/contract/embeddings';
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import { bundledModelsDir } from '../../workers/db/layout';
import { OPENAI_KEY_ENV } from '../../workers/egress/secrets';
import { keySecretName } from '../../workers/egress/keys';
import { cleanupDirs, tempDir } from '../support/core';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
const MINILM = 'Xenova/all-MiniLM-L6-v2';
const dataDir = tempDir('lumin-cli-embed-');
afterAll(cleanupDirs);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process on the shared data directory, capturing what it prints. */
async function lumin(...args: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--data-dir', dataDir, ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, stdout: out.join('\n').trimEnd(), stderr: err.join('\n').trim() };
}

/** Runs `node bin/lumin.js` as a child process, with `input` written to its stdin (which is then closed). */
function spawnLumin(dir: string, args: string[], input: string): Ran {
  const env = { ...process.env };
  delete env[OPENAI_KEY_ENV];
  delete env.LUMIN_DATA_DIR;
  const result = spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], {
    encoding: 'utf8',
    input,
    env,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** Every field of EmbeddingModelInfo: the compiler fails here when the contract gains or loses one. */
const MODEL_INFO_FIELDS = Object.keys({
  id: true,
  label: true,
  provider: true,
  dimension: true,
  availability: true,
  active: true,
  switching: true,
  vectors: true,
  completedAt: true,
  indexed: true,
} satisfies Record<keyof EmbeddingModelInfo, true>).sort();

const BOOKS = [
  [
    'Dune',
    'Frank Herbert',
    'A space opera: noble houses and their starships battle across a galactic empire for the desert planet and its spice.',
  ],
  [
    'Foundation',
    'Isaac Asimov',
    'A space opera: as the galactic empire falls, starships carry a plan across the galaxy through an interstellar dark age.',
  ],
  [
    'The Italian Kitchen',
    'Marcella Rossi',
    'A cookbook of easy recipes for pasta, tomato sauces, soups and bread, with tips for the home cook.',
  ],
  [
    'Baking at Home',
    'June Baker',
    'A cookbook of baking recipes for bread, cakes, cookies and pies, with flour, butter and sugar from the kitchen.',
  ],
] as const;

const oneLine = (text: string) => expect(text.split('\n')).toHaveLength(1);

describe('lumin embed / models / similar', () => {
  it('embeds the catalogue: --json prints the finished job and status, progress only with --wait', async () => {
    const csv = join(tempDir('lumin-cli-embed-files-'), 'books.csv');
    writeFileSync(
      csv,
      ['title,author,description', ...BOOKS.map((book) => book.map((cell) => `"${cell}"`).join(','))].join(
        '\n',
      ) + '\n',
    );
    const imported = await lumin('import', csv, '--json');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: BOOKS.length, failed: [] });

    const embedded = await lumin('embed', '--json');
    expect(embedded.stderr).toBe('');
    expect(embedded.code).toBe(0);
    const result = JSON.parse(embedded.stdout) as { job: Job; status: EmbeddingStatus };
    expect(result.job).toMatchObject({
      kind: 'embed',
      state: 'succeeded',
      payload: { model: BUNDLED_MODEL_ID },
    });
    expect(result.status).toMatchObject({
      activeModel: BUNDLED_MODEL_ID,
      switchingTo: null,
      books: { total: BOOKS.length, embedded: BOOKS.length },
      stale: 0,
    });

    const summary = `Embedded with ${BUNDLED_MODEL_ID}: ${BOOKS.length} of ${BOOKS.length} books have vectors of ${BUNDLED_MODEL_ID}.`;
    // Without --wait the pass still finishes, silently: only the summary line, on stdout.
    const quiet = await lumin('embed');
    expect(quiet).toEqual({ code: 0, stdout: summary, stderr: '' });

    const waited = await lumin('embed', '--wait');
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe(summary);
    const progress = waited.stderr.split('\n');
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line).toMatch(/^\d{1,3}% \S/);
  });

  it('lists models: * marks the active one, hub models not yet fetched show as download', async () => {
    const listed = await lumin('models', 'list');
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+Model\s+Dim\s+State\s+Books\s+Readers\s+Tags$/);
    const row = (id: string) => lines.find((line) => line.split(/\s+/).includes(id));
    expect(row(BUNDLED_MODEL_ID)).toMatch(
      new RegExp(`^\\*\\s+${BUNDLED_MODEL_ID}\\s+100\\s+ready\\s+${BOOKS.length}\\s+0\\s+0$`),
    );
    expect(row(MINILM)).toMatch(new RegExp(`^\\s+${MINILM}\\s+384\\s+download\\s+0\\s+0\\s+0$`));
    expect(lines.filter((line) => line.startsWith('*'))).toHaveLength(1);

    const asJson = await lumin('models', 'list', '--json');
    expect(asJson.code).toBe(0);
    const models = JSON.parse(asJson.stdout) as EmbeddingModelInfo[];
    for (const model of models) {
      expect(Object.keys(model).sort(), model.id).toEqual(MODEL_INFO_FIELDS);
      expect(Object.keys(model.vectors).sort(), model.id).toEqual(['books', 'readers', 'tags']);
    }
    expect(models.filter((model) => model.active).map((model) => model.id)).toEqual([BUNDLED_MODEL_ID]);
    expect(models.find((model) => model.id === BUNDLED_MODEL_ID)).toMatchObject({
      provider: 'bundled',
      dimension: 100,
      availability: 'ready',
      switching: false,
      vectors: { books: BOOKS.length, readers: 0, tags: 0 },
      indexed: true,
      completedAt: expect.any(String),
    });
    expect(models.find((model) => model.id === MINILM)).toMatchObject({
      provider: 'transformers',
      availability: 'download',
      active: false,
      vectors: { books: 0 },
    });
  });

  it('finds similar books by content, and fails cleanly for an unknown book or a bad --k', async () => {
    for (const [title, nearest] of [
      ['Dune', 'Foundation'],
      ['Baking at Home', 'The Italian Kitchen'],
    ] as const) {
      const similar = await lumin('similar', title, '--k', '2', '--json');
      expect(similar.stderr).toBe('');
      expect(similar.code).toBe(0);
      const result = JSON.parse(similar.stdout) as {
        book: { id: string; title: string };
        similar: SimilarBook[];
      };
      expect(result.book.title).toBe(title);
      expect(result.similar).toHaveLength(2);
      expect(result.similar[0]?.book.title, title).toBe(nearest);
      expect(result.similar.map((item) => item.book.title)).not.toContain(title);
      const [first, second] = result.similar.map((item) => item.score);
      expect(first).toBeGreaterThan(second ?? Infinity);
    }

    const unknown = await lumin('similar', 'No Such Book', '--k', '2');
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toBe('');
    oneLine(unknown.stderr);
    expect(unknown.stderr).toMatch(/^lumin: no book matches 'No Such Book'/);

    const badK = await lumin('similar', 'Dune', '--k', 'abc');
    expect(badK.code).toBe(2);
    expect(badK.stdout).toBe('');
    oneLine(badK.stderr);
    expect(badK.stderr).toMatch(/^lumin: --k: 'abc' is not a whole number/);
  });

  it('switches to a folder model, and refuses model ids that are malformed or missing', async () => {
    const folder = join(tempDir('lumin-cli-model-'), 'my-model');
    cpSync(join(bundledModelsDir(), BUNDLED_MODEL_ID), folder, { recursive: true });
    const id = `folder:${folder}`;

    const used = await lumin('models', 'use', id, '--json');
    expect(used.stderr).toBe('');
    expect(used.code).toBe(0);
    const switched = JSON.parse(used.stdout) as ModelSwitch & { status: EmbeddingStatus };
    expect(switched.model).toMatchObject({ id, availability: 'ready' });
    expect(switched.job).toMatchObject({ kind: 'embed' });
    expect(switched.status).toMatchObject({
      activeModel: id,
      switchingTo: null,
      books: { total: BOOKS.length, embedded: BOOKS.length },
    });

    const models = JSON.parse((await lumin('models', 'list', '--json')).stdout) as EmbeddingModelInfo[];
    expect(models.filter((model) => model.active).map((model) => model.id)).toEqual([id]);
    expect(models.find((model) => model.id === id)).toMatchObject({
      availability: 'ready',
      switching: false,
      vectors: { books: BOOKS.length },
    });
    // The old model's vectors stay, so switching back is cheap.
    expect(models.find((model) => model.id === BUNDLED_MODEL_ID)).toMatchObject({
      active: false,
      vectors: { books: BOOKS.length },
    });

    for (const [bad, message] of [
      ['not-a-model', /^lumin: .*'not-a-model' is not a model id/],
      ['folder:/does/not/exist', /^lumin: .*folder:\/does\/not\/exist.*missing/],
    ] as const) {
      const refused = await lumin('models', 'use', bad);
      expect(refused.code, bad).toBe(2);
      expect(refused.stdout, bad).toBe('');
      oneLine(refused.stderr);
      expect(refused.stderr).toMatch(message);
    }
  });

  it('refuses to change embeddings.model through settings set, pointing to models use', async () => {
    const set = await lumin('settings', 'set', 'embeddings.model', BUNDLED_MODEL_ID);
    expect(set.code).toBe(2);
    expect(set.stdout).toBe('');
    oneLine(set.stderr);
    expect(set.stderr).toMatch(/^lumin: .*embeddings\.model.*`lumin models use ID`/);
  });

  it('stores the OpenAI key read from stdin in a 0600 file without ever printing it, and clears it', () => {
    const dir = tempDir('lumin-cli-key-');
    const key = 'sk-test-123';
    const file = join(dir, 'secrets', 'openai-api-key');

    const stored = spawnLumin(dir, ['models', 'key'], `${key}\n`);
    expect(stored.stderr).toBe('');
    expect(stored.code).toBe(0);
    expect(stored.stdout).toMatch(/stored/);
    expect(stored.stdout).not.toContain(key);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    }
    expect(readFileSync(file, 'utf8').trim()).toBe(key);

    const cleared = spawnLumin(dir, ['models', 'key', '--clear'], '');
    expect(cleared.stderr).toBe('');
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/forgotten/);
    expect(existsSync(file)).toBe(false);
  });

  it('stores a key for the endpoint named by --base-url only, and refuses http:// off this computer', () => {
    const dir = tempDir('lumin-cli-key-origin-');
    const stored = spawnLumin(
      dir,
      ['models', 'key', '--base-url', 'http://127.0.0.1:1234/v1'],
      'sk-local-9\n',
    );
    expect(stored.stderr).toBe('');
    expect(stored.code).toBe(0);
    const file = join(dir, 'secrets', keySecretName('http://127.0.0.1:1234'));
    expect(readFileSync(file, 'utf8').trim()).toBe('sk-local-9');
    expect(existsSync(join(dir, 'secrets', 'openai-api-key'))).toBe(false);
    const refused = spawnLumin(dir, ['models', 'key', '--base-url', 'http://example.com/v1'], 'sk-x\n');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/http:\/\/ is allowed only/);
  });
});
