/**
 * `lumin eval --cold`: does the serving chain's hybrid (content + collaborative + popularity, fused by
 * weighted RRF) beat pure ALS for readers with fewer than five interactions, and which source weights
 * should `COLD_WEIGHTS` (shared/recommend/candidate-sources.ts) hold? Answered offline on MovieLens-style
 * files.
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
 *   training users), `hybrid` (`blendCandidates` of the lists `candidateSources` assembles for
 *   `personalised` too, so the evaluation cannot drift from serving; no level fit, since films have no
 *   reading level; before MMR and exploration, which trade accuracy on purpose) with the tuned weights,
 *   `hybrid-current` with the weights serving gives that reader (COLD_WEIGHTS below 5 positives), and `hybrid-no-content` with the best weights whose content weight is 0 (an ablation);
 * - tuning: the weights are picked by a grid on a validation split carved from the training users alone
 *   (another seed; ALS refitted without the validation users), by mean NDCG@k over n = 1..4; the test
 *   users are scored once, with the chosen weights.
 */
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import { type AlsRecommender, NIGHTLY_ALS, createAls } from '../../shared/ml/als';
import { topItems } from '../../shared/ml/als-top';
import { buildMatrix } from '../../shared/ml/matrix';
import { ndcgAt, recallAt } from '../../shared/ml/metrics';
import { seededRandom } from '../../shared/ml/random';
import { type SourceCandidate, type SourceName, blendCandidates } from '../../shared/recommend/blend';
import {
  COLD_WEIGHTS,
  type CandidateSet,
  PER_SOURCE,
  candidateSources,
  sourceWeights,
} from '../../shared/recommend/candidate-sources';
import { contentVector, interactionWeight } from '../../shared/recommend/profile';
import { dot } from '../../shared/recommend/vectors';
import {
  COLD_GROUPS,
  type ColdGroup,
  type Positive,
  casesOf,
  embedCatalogue,
  readCatalogue,
  readPositives,
  shuffle,
  splitUsers,
} from './cold-data';

export { COLD_GROUPS, type ColdGroup } from './cold-data';

/** The nightly job gives a rating of 4+ the weight of a finish. */
const POSITIVE_WEIGHT = 3;

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

/** A model fitted on some users' positives. */
interface Fitted {
  als: AlsRecommender;
  /** Items without a training positive: a nightly model would not know them (serving maps books by id). */
  unknown: Set<number>;
  popular: SourceCandidate[];
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

/**
 * The candidate sources of a user described by `kept`, assembled by `candidateSources` as `personalised`
 * assembles them, then the user's own books dropped as serving's filters drop them.
 */
async function sourcesFor(
  fitted: Fitted,
  vectors: readonly Float32Array[],
  kept: Positive[],
  depth: number,
): Promise<CandidateSet> {
  const keptItems = new Set(kept.map((positive) => positive.item));
  const candidates = (list: { item: number; score: number }[]) =>
    list.map(({ item, score }) => ({ id: String(item), score }));
  // No recency decay: a cold reader's few interactions are all recent.
  const weights = new Map(
    kept.map(({ item, rating }) => [String(item), interactionWeight('rating', rating, 0)]),
  );
  const profile = contentVector(
    kept.map(({ item }) => ({
      vector: vectors[item] as Float32Array,
      weight: weights.get(String(item)) ?? 0,
    })),
  );
  // The nightly model knows only books with evidence; the rest is dropped, as collaborativeCandidates does.
  const liked = kept.filter(({ item }) => !fitted.unknown.has(item));
  const exclude = new Set([...fitted.unknown, ...keptItems]);
  const assembled = await candidateSources(
    weights,
    {
      content: (limit) => {
        if (!profile) return [];
        const scores = Float32Array.from(vectors, (vector) => dot(vector, profile));
        return candidates(topItems(scores, 0, scores.length, Int32Array.from(keptItems), { k: limit }));
      },
      collaborative: {
        recommend: (limit) =>
          liked.length === 0
            ? []
            : candidates(
                fitted.als.recommendFor(
                  liked.map(({ item }) => item),
                  liked.map(() => POSITIVE_WEIGHT),
                  { k: limit, exclude },
                ),
              ),
        // A nightly model has no books without evidence, neither as seeds nor as neighbours.
        similar: (id, limit) =>
          fitted.unknown.has(Number(id))
            ? []
            : candidates(fitted.als.similarItems(Number(id), limit)).filter(
                (candidate) => !fitted.unknown.has(Number(candidate.id)),
              ),
      },
      popular: (limit) => fitted.popular.slice(0, limit),
    },
    Math.max(PER_SOURCE, depth),
  );
  const set = assembled ?? { sources: {}, weights: sourceWeights(weights) };
  for (const name of Object.keys(set.sources) as SourceName[])
    set.sources[name] = set.sources[name]?.filter(({ id }) => !keptItems.has(Number(id)));
  return set;
}

/** The top `depth` item indices of the fused ranking. */
function hybrid(
  sources: CandidateSet['sources'],
  weights: Record<SourceName, number>,
  depth: number,
): number[] {
  return blendCandidates(sources, weights)
    .slice(0, depth)
    .map((candidate) => Number(candidate.id));
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
  const tuningCases: { held: Set<number>; sources: CandidateSet['sources'] }[] = [];
  for (const item of casesOf(orders, [...validation], false))
    tuningCases.push({
      held: item.held,
      sources: (await sourcesFor(tuningModel, vectors, item.kept, recallK)).sources,
    });
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
  const perCase: {
    group: ColdGroup | 'warm';
    scores: Record<HybridMethod, { ndcg: number; recall: number }>;
  }[] = [];
  for (const item of casesOf(orders, [...test], true)) {
    const { sources, weights } = await sourcesFor(model, vectors, item.kept, recallK);
    const ids = (list: SourceCandidate[] = []) => list.map(({ id }) => Number(id));
    const ranked: Record<HybridMethod, number[]> = {
      als: ids(sources.collaborative),
      content: ids(sources.content),
      popular: ids(sources.popular),
      hybrid: hybrid(sources, chosen.weights, recallK),
      'hybrid-no-content': hybrid(sources, withoutContent.weights, recallK),
      'hybrid-current': hybrid(sources, weights, recallK),
    };
    const scores = record(HYBRID_METHODS, (method) => ({
      ndcg: ndcgAt(ranked[method], item.held, k),
      recall: recallAt(ranked[method], item.held, recallK),
    }));
    perCase.push({ group: item.group, scores });
  }
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
      current: { ...COLD_WEIGHTS },
      grid: tried.length,
      validation: {
        chosen: chosen.ndcg,
        withoutContent: withoutContent.ndcg,
        als: validationNdcg({ content: 0, collaborative: 1, similar: 0, popular: 0 }),
        current: validationNdcg(COLD_WEIGHTS),
      },
    },
    cold: record(HYBRID_METHODS, (method) => record(COLD_GROUPS, (group) => summary(group, method))),
    warm: record(HYBRID_METHODS, (method) => summary('warm', method)),
    hybridVsAls: { cold: record(COLD_GROUPS, versusAls), warm: versusAls('warm') },
    seconds,
  };
}
