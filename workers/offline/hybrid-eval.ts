/**
 * `lumin eval --cold`: does the serving chain's hybrid (content + collaborative + popularity, fused by
 * weighted RRF) beat pure ALS for readers with fewer than five interactions, and which source weights
 * should `SOURCE_WEIGHTS` (workers/db/recommend/serve.ts) hold? Answered offline on MovieLens-style files.
 *
 * Protocol (MovieLens-100K movies stand in for books: there is no public book interaction data with text):
 * - a rating ≥ 4 is a positive interaction; lower ratings are dropped (implicit feedback, as the nightly
 *   ALS job treats ratings: 4+ counts like a finish, weight 3);
 * - among users with ≥ 5 positives, a seeded `coldShare` (30%) are test users. Each test user is shuffled
 *   once and evaluated at n = 1, 2, 3, 4 kept positives (nested prefixes, so the n are paired); the rest of
 *   their positives are held out. Test users with ≥ 25 positives also run once "warm": a seeded 80% kept
 *   (≥ 20), 20% held out. Every other user keeps everything for ALS training, so a test user is never in
 *   the model, exactly like a reader who joined after the nightly retrain (they are folded in);
 * - NDCG@k and recall@2k against the held-out positives, never recommending a kept item;
 * - methods: `als` (fold-in of the kept items, NIGHTLY_ALS), `content` (cosine to `contentVector` of the
 *   kept items' embeddings, bundled model, text "Title (year). Genre, Genre."), `popular` (positives among
 *   training users), `hybrid` (`blendCandidates` of content, collaborative, similar and popular lists of
 *   100 each, as `personalised` builds them; no level fit, since films have no reading level; before MMR and
 *   exploration, which trade accuracy on purpose) with the tuned weights, `hybrid-current` with today's
 *   SOURCE_WEIGHTS and `hybrid-no-content` with the best weights whose content weight is 0 (an ablation);
 * - tuning: the weights are picked by a grid on a validation split carved from the training users alone
 *   (another seed; ALS refitted without the validation users), by mean NDCG@k over n = 1..4; the test
 *   users are scored once, with the chosen weights.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LuminFailure } from '../../shared/contract/errors';
import { BUNDLED_MODEL_ID, parseModelId } from '../../shared/embed/models';
import { type AlsRecommender, createAls } from '../../shared/ml/als';
import { topItems } from '../../shared/ml/als-top';
import { buildMatrix } from '../../shared/ml/matrix';
import { ndcgAt, recallAt } from '../../shared/ml/metrics';
import { seededRandom } from '../../shared/ml/random';
import { type SourceCandidate, type SourceName, blendCandidates } from '../../shared/recommend/blend';
import { contentVector, interactionWeight } from '../../shared/recommend/profile';
import { dot } from '../../shared/recommend/vectors';
import { bundledModelsDir } from '../db/layout';
import { NIGHTLY_ALS } from '../db/recommend/collaborative';
import { COLD_WEIGHTS as SOURCE_WEIGHTS } from '../db/recommend/serve';
import { readInteractions } from './offline';

/** The methods compared; `hybrid-no-content` is the best validation weights with content 0 (an ablation). */
export const HYBRID_METHODS = [
  'als',
  'content',
  'popular',
  'hybrid',
  'hybrid-no-content',
  'hybrid-current',
] as const;
export type HybridMethod = (typeof HYBRID_METHODS)[number];
/** Cold groups: kept positives n = 1..4, and all of them pooled (each (user, n) case counts once). */
export const COLD_GROUPS = ['1', '2', '3', '4', 'all'] as const;
export type ColdGroup = (typeof COLD_GROUPS)[number];

/** Means over a group of (user, n) cases. */
export interface Scores {
  ndcg: number;
  recall: number;
  cases: number;
}

/** Hybrid minus ALS on the same cases, with the paired standard errors (sd of the differences / √cases). */
export interface Paired {
  ndcgDelta: number;
  ndcgSe: number;
  recallDelta: number;
  recallSe: number;
}

/** What `runHybridEval` measured (metrics rounded to 4 decimals). */
export interface HybridEvalReport {
  data: string;
  items: string;
  seed: number;
  /** NDCG cut-off; recall is at `recallK` = 2k. */
  k: number;
  recallK: number;
  coldShare: number;
  users: number;
  catalogue: number;
  positives: number;
  split: { trainingUsers: number; validationUsers: number; testUsers: number; warmUsers: number };
  als: Record<string, number>;
  embedding: string;
  weights: {
    /** The tuned weights: copy into COLD_WEIGHTS. */
    chosen: Record<SourceName, number>;
    /** The best with content 0 (`hybrid-no-content`). */
    withoutContent: Record<SourceName, number>;
    current: Record<SourceName, number>;
    /** Weight vectors tried. */
    grid: number;
    /** Validation NDCG@k (mean over n = 1..4) of chosen, without-content, pure-ALS and current weights. */
    validation: { chosen: number; withoutContent: number; als: number; current: number };
  };
  cold: Record<HybridMethod, Record<ColdGroup, Scores>>;
  warm: Record<HybridMethod, Scores>;
  hybridVsAls: { cold: Record<ColdGroup, Paired>; warm: Paired };
  seconds: { embed: number; fit: number; tune: number; evaluate: number; total: number };
}

/** The ML-100K genre columns of u.item, in order; `unknown` is left out of the text (it says nothing). */
const GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama',
  'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
]; // prettier-ignore
/** A positive is a rating of at least this (and the nightly job gives 4+ the weight of a finish, 3). */
const POSITIVE_RATING = 4;
const POSITIVE_WEIGHT = 3;
const COLD_SIZES = [1, 2, 3, 4] as const;
/** Fewest positives of a test user: n = 4 kept must leave one to hold out. */
const MIN_POSITIVES = 5;
const WARM_KEPT = 20;
/** As `personalised` in serve.ts: 100 candidates per source, "similar" from the 3 best-liked books × 30. */
const PER_SOURCE = 100;
const SIMILAR_SEEDS = 3;
const SIMILAR_PER_SEED = 30;
/**
 * The grid. RRF ranks are unchanged when every weight is scaled, so collaborative is fixed at 1 and the
 * others are relative to it; content 0 / similar 0 / popular 0 is pure ALS, so on validation the choice
 * can never lose to ALS, and the serving weights are compared as "current". 196 vectors keep
 * tuning to well under a minute on ML-100K on 2 cores.
 */
const GRID = {
  content: [0, 0.1, 0.25, 0.5, 1, 2, 4],
  similar: [0, 0.3, 0.6, 1],
  popular: [0, 0.3, 0.6, 1, 1.5, 2, 3],
};

interface Positive {
  item: number;
  rating: number;
}
/** One evaluation: a user reduced to `kept`, scored against `held`. */
interface Case {
  group: ColdGroup | 'warm';
  kept: Positive[];
  held: Set<number>;
}
/** A model fitted on some users' positives. */
interface Fitted {
  als: AlsRecommender;
  /** Items without a training positive: a nightly model would not know them (serving maps books by id). */
  unknown: Set<number>;
  popular: SourceCandidate[];
}
type Sources = Record<'content' | 'collaborative' | 'similar' | 'popular', SourceCandidate[]>;

/** u.item: `id|title|release|video|url|19 genre flags`, Latin-1. Returns ids and "Title. Genres." texts. */
function readCatalogue(path: string): { ids: string[]; texts: string[] } {
  let raw: string;
  try {
    raw = readFileSync(path, 'latin1');
  } catch (error) {
    throw new LuminFailure('not_found', `${path}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const ids: string[] = [];
  const texts: string[] = [];
  raw.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = line.replace(/\r$/, '').split('|');
    const flags = fields.slice(-GENRES.length);
    if (fields.length < 2 + GENRES.length || flags.some((flag) => flag !== '0' && flag !== '1'))
      throw new LuminFailure(
        'invalid_argument',
        `${path}: line ${index + 1} is not id|title|…|19 genre flags`,
      );
    const genres = GENRES.filter((name, column) => flags[column] === '1' && name !== 'unknown');
    ids.push(fields[0] as string);
    texts.push(`${fields[1]}.${genres.length ? ` ${genres.join(', ')}.` : ''}`);
  });
  return { ids, texts };
}

/** Embeds every catalogue text with the bundled model through the app's transformers.js pipeline. */
async function embedCatalogue(texts: readonly string[]): Promise<Float32Array[]> {
  const parsed = parseModelId(BUNDLED_MODEL_ID);
  if (!('spec' in parsed)) throw new Error(parsed.error);
  // The bundled model loads with remote access off; the cache folder exists only because the API wants one.
  const cacheDir = mkdtempSync(join(tmpdir(), 'lumin-hybrid-eval-'));
  try {
    // Loaded here: transformers.js takes ~150 ms to import, and only `lumin eval --cold` needs it.
    const { createTransformersProvider } = await import('../embed/transformers-provider');
    const provider = await createTransformersProvider(parsed.spec, {
      bundledDir: bundledModelsDir(),
      cacheDir,
      markerPath: (repo, revision) => join(cacheDir, repo, revision, '.lumin-complete'),
    });
    const vectors = await provider.embed(texts);
    await provider.dispose?.();
    return vectors;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function shuffle<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
  return values;
}

/** Fits NIGHTLY_ALS and popularity on the positives of `users`. */
function fit(positives: readonly Positive[][], users: readonly number[], items: number): Fitted {
  const triples = { users: [] as number[], items: [] as number[], weights: [] as number[] };
  const counts = new Float32Array(items);
  users.forEach((user, row) => {
    for (const { item } of positives[user] ?? []) {
      triples.users.push(row);
      triples.items.push(item);
      triples.weights.push(POSITIVE_WEIGHT);
      counts[item] = (counts[item] as number) + 1;
    }
  });
  const als = createAls(NIGHTLY_ALS);
  als.fit(buildMatrix(triples, users.length, items));
  const unknown = new Set(Array.from(counts.keys()).filter((item) => counts[item] === 0));
  // As serve.ts: popularity only where there is some (count ≥ 1).
  const popular = topItems(Float32Array.from(counts), 0, items, Int32Array.from(unknown), { k: items });
  return { als, unknown, popular: popular.map(({ item, score }) => ({ id: String(item), score })) };
}

/** The four candidate lists for a user described by `kept`, built the way `personalised` builds them. */
function sourcesFor(fitted: Fitted, vectors: readonly Float32Array[], kept: Positive[], depth: number) {
  const keptItems = new Set(kept.map((positive) => positive.item));
  const candidates = (list: { item: number; score: number }[]) =>
    list.map(({ item, score }) => ({ id: String(item), score }));
  const perSource = Math.max(PER_SOURCE, depth);
  const sources: Sources = { content: [], collaborative: [], similar: [], popular: [] };
  // No recency decay: a cold reader's few interactions are all recent.
  const profile = contentVector(
    kept.map(({ item, rating }) => ({
      vector: vectors[item] as Float32Array,
      weight: interactionWeight('rating', rating, 0),
    })),
  );
  if (profile) {
    const scores = Float32Array.from(vectors, (vector) => dot(vector, profile));
    sources.content = candidates(
      topItems(scores, 0, scores.length, Int32Array.from(keptItems), { k: perSource }),
    );
  }
  // The nightly model knows only books with evidence; the rest is dropped, as collaborativeCandidates does.
  const liked = kept.filter(({ item }) => !fitted.unknown.has(item));
  if (liked.length > 0) {
    const exclude = new Set([...fitted.unknown, ...keptItems]);
    sources.collaborative = candidates(
      fitted.als.recommendFor(
        liked.map(({ item }) => item),
        liked.map(() => POSITIVE_WEIGHT),
        { k: perSource, exclude },
      ),
    );
    const seeds = [...liked].sort((a, b) => b.rating - a.rating).slice(0, SIMILAR_SEEDS);
    sources.similar = candidates(
      seeds
        .flatMap(({ item }) => fitted.als.similarItems(item, SIMILAR_PER_SEED))
        .filter(({ item }) => !exclude.has(item)),
    );
  }
  sources.popular = fitted.popular.filter(({ id }) => !keptItems.has(Number(id))).slice(0, perSource);
  return sources;
}

/** The top `depth` item indices of the fused ranking. */
function hybrid(sources: Sources, weights: Record<SourceName, number>, depth: number): number[] {
  return blendCandidates(sources, weights)
    .slice(0, depth)
    .map((candidate) => Number(candidate.id));
}

/** Evaluation cases of `users`: cold at n = 1..4, and (with `warm`) 80/20 for users with ≥ 25 positives. */
function casesOf(orders: readonly Positive[][], users: readonly number[], warm: boolean): Case[] {
  const cases: Case[] = [];
  for (const user of users) {
    const order = orders[user] ?? [];
    const held = (from: number) => new Set(order.slice(from).map((positive) => positive.item));
    for (const n of COLD_SIZES)
      cases.push({ group: String(n) as ColdGroup, kept: order.slice(0, n), held: held(n) });
    const keep = Math.round(0.8 * order.length);
    if (warm && keep >= WARM_KEPT && keep < order.length)
      cases.push({ group: 'warm', kept: order.slice(0, keep), held: held(keep) });
  }
  return cases;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Mean and standard error of paired differences. */
function difference(a: readonly number[], b: readonly number[]): [number, number] {
  const deltas = a.map((value, index) => value - (b[index] as number));
  const average = mean(deltas);
  const variance =
    mean(deltas.map((delta) => (delta - average) ** 2)) * (deltas.length / (deltas.length - 1));
  return [round(average), round(Math.sqrt(variance / deltas.length) || 0)];
}

/** Each user's positives (rating ≥ 4), items as indices of the catalogue (u.item order). */
function readPositives(data: string, itemsPath: string, catalogue: readonly string[]): Positive[][] {
  const itemIndex = new Map(catalogue.map((id, index) => [id, index]));
  const parsed = readInteractions(data);
  const { users, userIndptr, userIndices, userWeights } = parsed.matrix;
  return Array.from({ length: users }, (_, user) => {
    const list: Positive[] = [];
    for (let entry = userIndptr[user] as number; entry < (userIndptr[user + 1] as number); entry += 1) {
      const id = parsed.itemIds[userIndices[entry] as number] as string;
      const item = itemIndex.get(id);
      if (item === undefined)
        throw new LuminFailure('invalid_argument', `${data}: item ${id} is not in ${itemsPath}`);
      const rating = userWeights[entry] as number;
      if (rating >= POSITIVE_RATING) list.push({ item, rating });
    }
    return list;
  });
}

/** Test, training and validation users; the validation users are training users (see the protocol). */
function splitUsers(positives: readonly Positive[][], seed: number, share: number) {
  const count = (user: number) => (positives[user] as Positive[]).length;
  const everyone = positives.map((_, user) => user).filter((user) => count(user) > 0);
  const pick = (users: number[], salt: number) => {
    const eligible = shuffle(
      users.filter((user) => count(user) >= MIN_POSITIVES),
      seededRandom(seed + salt),
    );
    return new Set(eligible.slice(0, Math.round(share * eligible.length)));
  };
  const test = pick(everyone, 1);
  const training = everyone.filter((user) => !test.has(user));
  const validation = pick(training, 2);
  if (test.size === 0 || validation.size === 0 || training.length === validation.size)
    throw new LuminFailure('invalid_argument', `too few users with ${MIN_POSITIVES}+ ratings ≥ 4`);
  return { test, training, validation };
}

function record<K extends string, T>(keys: readonly K[], value: (key: K) => T): Record<K, T> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, T>;
}

/** Runs the protocol above on a u.data/u.item pair; every figure is in {@link HybridEvalReport}. */
export async function runHybridEval(options: {
  data: string;
  items: string;
  seed?: number;
  coldShare?: number;
  k?: number;
}): Promise<HybridEvalReport> {
  const { data, seed = 42, coldShare = 0.3, k = 10 } = options;
  const recallK = 2 * k;
  if (!(coldShare > 0 && coldShare < 1))
    throw new RangeError(`coldShare must be in (0, 1) (got ${coldShare})`);
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a whole number ≥ 1 (got ${k})`);
  const seconds = { embed: 0, fit: 0, tune: 0, evaluate: 0, total: 0 };
  const started = Date.now();
  let phase = started;
  const lap = (name: keyof typeof seconds) => {
    seconds[name] += (Date.now() - phase) / 1000;
    phase = Date.now();
  };
  const catalogue = readCatalogue(options.items);
  const items = catalogue.ids.length;
  const positives = readPositives(data, options.items, catalogue.ids);
  const random = seededRandom(seed);
  const orders = positives.map((list) => shuffle([...list], random));
  const { test, training, validation } = splitUsers(positives, seed, coldShare);
  const vectors = await embedCatalogue(catalogue.texts);
  lap('embed');

  // Tuning: validation users against a model fitted without them, every grid vector on the same lists.
  const rest = training.filter((user) => !validation.has(user));
  const tuningModel = fit(positives, rest, items);
  lap('fit');
  const tuningCases = casesOf(orders, [...validation], false).map((item) => ({
    held: item.held,
    sources: sourcesFor(tuningModel, vectors, item.kept, recallK),
  }));
  const validationNdcg = (weights: Record<SourceName, number>) =>
    round(mean(tuningCases.map((item) => ndcgAt(hybrid(item.sources, weights, k), item.held, k))));
  const tried: { weights: Record<SourceName, number>; ndcg: number }[] = [];
  for (const content of GRID.content)
    for (const similar of GRID.similar)
      for (const popular of GRID.popular) {
        const weights = { content, collaborative: 1, similar, popular };
        tried.push({ weights, ndcg: validationNdcg(weights) });
      }
  // Strictly better only (on rounded NDCG): a tie keeps the earlier, lighter weights.
  const bestOf = (list: typeof tried) => list.reduce((best, next) => (next.ndcg > best.ndcg ? next : best));
  const chosen = bestOf(tried);
  const withoutContent = bestOf(tried.filter((entry) => entry.weights.content === 0));
  lap('tune');

  // Test: a model of every training user; the test users are scored once, with the chosen weights.
  const model = fit(positives, training, items);
  lap('fit');
  const perCase = casesOf(orders, [...test], true).map((item) => {
    const sources = sourcesFor(model, vectors, item.kept, recallK);
    const ids = (list: SourceCandidate[]) => list.map(({ id }) => Number(id));
    const ranked: Record<HybridMethod, number[]> = {
      als: ids(sources.collaborative),
      content: ids(sources.content),
      popular: ids(sources.popular),
      hybrid: hybrid(sources, chosen.weights, recallK),
      'hybrid-no-content': hybrid(sources, withoutContent.weights, recallK),
      'hybrid-current': hybrid(sources, SOURCE_WEIGHTS, recallK),
    };
    const scores = record(HYBRID_METHODS, (method) => ({
      ndcg: ndcgAt(ranked[method], item.held, k),
      recall: recallAt(ranked[method], item.held, recallK),
    }));
    return { group: item.group, scores };
  });
  lap('evaluate');

  const inGroup = (group: ColdGroup | 'warm') =>
    perCase.filter((item) => item.group === group || (group === 'all' && item.group !== 'warm'));
  const column = (group: ColdGroup | 'warm', method: HybridMethod, metric: 'ndcg' | 'recall') =>
    inGroup(group).map((item) => item.scores[method][metric]);
  const summary = (group: ColdGroup | 'warm', method: HybridMethod): Scores => ({
    ndcg: round(mean(column(group, method, 'ndcg'))),
    recall: round(mean(column(group, method, 'recall'))),
    cases: inGroup(group).length,
  });
  const versusAls = (group: ColdGroup | 'warm'): Paired => {
    const delta = (metric: 'ndcg' | 'recall') =>
      difference(column(group, 'hybrid', metric), column(group, 'als', metric));
    const [[ndcgDelta, ndcgSe], [recallDelta, recallSe]] = [delta('ndcg'), delta('recall')];
    return { ndcgDelta, ndcgSe, recallDelta, recallSe };
  };
  seconds.total = (Date.now() - started) / 1000;
  return {
    data,
    items: options.items,
    seed,
    k,
    recallK,
    coldShare,
    users: positives.length,
    catalogue: items,
    positives: positives.reduce((total, list) => total + list.length, 0),
    split: {
      trainingUsers: training.length,
      validationUsers: validation.size,
      testUsers: test.size,
      warmUsers: inGroup('warm').length,
    },
    als: { ...NIGHTLY_ALS },
    embedding: BUNDLED_MODEL_ID,
    weights: {
      chosen: chosen.weights,
      withoutContent: withoutContent.weights,
      current: { ...SOURCE_WEIGHTS },
      grid: tried.length,
      validation: {
        chosen: chosen.ndcg,
        withoutContent: withoutContent.ndcg,
        als: validationNdcg({ content: 0, collaborative: 1, similar: 0, popular: 0 }),
        current: validationNdcg(SOURCE_WEIGHTS),
      },
    },
    cold: record(HYBRID_METHODS, (method) => record(COLD_GROUPS, (group) => summary(group, method))),
    warm: record(HYBRID_METHODS, (method) => summary('warm', method)),
    hybridVsAls: { cold: record(COLD_GROUPS, versusAls), warm: versusAls('warm') },
    seconds,
  };
}
