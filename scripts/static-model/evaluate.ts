/**
 * Checks the built static model through the real transformers.js pipeline (no remote models) and
 * prints how it ranks the hand-written queries and descriptions of eval-texts.ts, then how fast it
 * embeds book-description-length texts in one thread.
 *
 *   node --import tsx scripts/static-model/evaluate.ts [--models dir] [--texts 2000] [--batch 64]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { DESCRIPTIONS, type Genre, QUERIES, SECOND_DESCRIPTIONS } from './eval-texts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: resolve(import.meta.dirname, '../../resources/models') },
    texts: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '64' },
  },
});
env.allowRemoteModels = false;
env.localModelPath = `${resolve(args.models)}/`;
const extractor = await pipeline('feature-extraction', 'lumin-glove-100d', {
  dtype: 'fp32',
  session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
});

/** Unit-norm embeddings of `texts`, one Float32Array each. */
async function embed(texts: string[]): Promise<Float32Array[]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  const [rows = 0, dims = 0] = output.dims;
  const data = output.data as Float32Array;
  return Array.from({ length: rows }, (_, r) => data.slice(r * dims, (r + 1) * dims));
}

const cosine = (a: Float32Array, b: Float32Array): number =>
  a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);
const genres = Object.keys(DESCRIPTIONS) as Genre[];
const first = await embed(genres.map((genre) => DESCRIPTIONS[genre]));
const second = await embed(genres.map((genre) => SECOND_DESCRIPTIONS[genre]));
const queries = await embed(QUERIES.map((query) => query.text));

console.log('Query -> best description among 24 (two per genre); cosine of the expected genre vs best other');
let hits = 0;
let reciprocal = 0;
QUERIES.forEach((query, q) => {
  const scored = [...first, ...second]
    .map((doc, d) => ({
      genre: genres[d % genres.length] as Genre,
      score: cosine(queries[q] as Float32Array, doc),
    }))
    .sort((a, b) => b.score - a.score);
  const rank = scored.findIndex((s) => s.genre === query.expected) + 1;
  const expected = scored.find((s) => s.genre === query.expected)?.score ?? 0;
  const other = scored.find((s) => s.genre !== query.expected);
  hits += rank === 1 ? 1 : 0;
  reciprocal += 1 / rank;
  const verdict = rank === 1 ? 'ok  ' : `MISS (${other?.genre})`;
  console.log(
    `  ${verdict} ${query.text.padEnd(78)} ${expected.toFixed(3)} vs ${other?.score.toFixed(3)} (${other?.genre})`,
  );
});
console.log(`  top-1 ${hits}/${QUERIES.length}, MRR ${(reciprocal / QUERIES.length).toFixed(3)}`);

let pairs = 0;
for (const [from, to, label] of [
  [first, second, 'first -> second'],
  [second, first, 'second -> first'],
] as const) {
  genres.forEach((genre, g) => {
    const scores = to.map((doc) => cosine(from[g] as Float32Array, doc));
    const best = scores.indexOf(Math.max(...scores));
    pairs += best === g ? 1 : 0;
    if (best !== g) console.log(`  more-like-this ${label}: ${genre} -> ${genres[best]}`);
  });
}
console.log(
  `More like this (description -> other description of the same genre): ${pairs}/${2 * genres.length}`,
);

// Throughput: book-description-length texts (~250 words) built from the eval sentences.
const sentences = [...Object.values(DESCRIPTIONS), ...Object.values(SECOND_DESCRIPTIONS)].flatMap((text) =>
  text.split(/(?<=\.) /),
);
let seed = 1;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const count = Number(args.texts);
const batch = Number(args.batch);
const texts = Array.from({ length: count }, () => {
  const parts: string[] = [];
  while (parts.join(' ').split(' ').length < 250)
    parts.push(sentences[Math.floor(random() * sentences.length)] ?? '');
  return parts.join(' ');
});
const started = performance.now();
for (let i = 0; i < texts.length; i += batch) await embed(texts.slice(i, i + batch));
const seconds = (performance.now() - started) / 1000;
console.log(
  `Throughput: ${count} texts of ~250 words, batches of ${batch}, one thread: ${(count / seconds).toFixed(0)} texts/s`,
);
