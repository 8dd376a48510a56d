/**
 * The serving chain: cache → personalised → batch → popular. Personalised blends four candidate
 * sources (content ANN on the hybrid user vector, ALS fold-in, "readers who liked X" item factors,
 * popularity), drops what the filters forbid, fuses by weighted reciprocal-rank fusion with a
 * level-fit factor, diversifies with MMR, and fills two exploration slots by Thompson sampling on
 * each source's click-through. Every list is logged and every item explained.
 */
import { randomUUID } from 'node:crypto';
import type { CandidateSource, RecommendedItem, Recommendations } from '../../../shared/contract/recommend';
import { seededRandom } from '../../../shared/ml/random';
import { type SourceName, blendCandidates } from '../../../shared/recommend/blend';
import { candidateSources } from '../../../shared/recommend/candidate-sources';
import { mmr } from '../../../shared/recommend/diversify';
import { explain } from '../../../shared/recommend/explain';
import { chooseExplorationSlots } from '../../../shared/recommend/explore';
import { eligibility } from '../../../shared/recommend/filters';
import { levelFit } from '../../../shared/recommend/levels';
import { dot } from '../../../shared/recommend/vectors';
import type { Context } from '../context';
import { nearestBooks } from '../embeddings/vectors';
import type { CachedList } from '../../../shared/recommend/list-cache';
import { collaborativeCandidates, similarByFactors } from './collaborative';
import { alsModel, clickThrough, popularList, popularWithEvidence } from './shared-sources';
import { type BookFacts, batchBooks } from './books';
import type { Impression } from './logs';
import { type ReaderState, activeVectors, loadReaderState } from './reader-state';

/** Options of a request. */
export interface ServeOptions {
  k: number;
  ownedOnly: boolean;
  explain: boolean;
  fresh: boolean;
  /** MMR's λ (1 = relevance only); the `recommend.diversity` setting. */
  lambda?: number;
  /** Content warnings never to recommend; the `recommend.excludedWarnings` setting. */
  excludedWarnings?: string[];
}

type Ranked = Omit<RecommendedItem, 'recLogId' | 'source' | 'position'>;

/** The reader's filters as one test per book (built once per request: it runs for every candidate). */
function gate(state: ReaderState, options: ServeOptions): (facts: BookFacts) => boolean {
  const reader = { kind: state.kind, age: state.age, grade: state.grade, band: state.band };
  const filters = {
    read: state.read,
    readWorks: state.readWorks,
    dismissed: state.dismissed,
    blocked: state.blocked,
    ownedOnly: options.ownedOnly,
    excludedWarnings: options.excludedWarnings ?? [],
  };
  const verdicts = new Map<string, boolean>();
  return (facts) => {
    let verdict = verdicts.get(facts.id);
    if (verdict === undefined) {
      verdict = eligibility(facts, reader, filters).ok;
      verdicts.set(facts.id, verdict);
    }
    return verdict;
  };
}

function explainFor(
  state: ReaderState,
  facts: BookFacts,
  item: { sources: SourceName[]; best: SourceName; pinned: boolean; exploratory: boolean },
  vectors: Map<string, Float32Array>,
  titles: Map<string, string>,
): string {
  let nearestLiked: { title: string; similarity: number } | null = null;
  const own = vectors.get(facts.id);
  if (own)
    for (const [book, weight] of state.weights) {
      const liked = state.bookVectors.get(book);
      const title = titles.get(book);
      if (weight <= 0 || !liked || !title) continue;
      const similarity = dot(own, liked);
      if (!nearestLiked || similarity > nearestLiked.similarity) nearestLiked = { title, similarity };
    }
  return explain(
    { ...facts, level: facts.readingLevel, grade: facts.level, ...item, nearestLiked },
    { interests: state.interests, band: state.band },
  );
}

/** The personalised list, or null when nothing is known to personalise with. */
export async function personalised(
  context: Context,
  state: ReaderState,
  options: ServeOptions,
): Promise<CachedList | null> {
  // Without a user vector (nothing embedded yet) the nightly batch lists serve instead.
  const { vector, model } = state;
  if (!vector || !model) return null;
  const exclude = [...state.read, ...state.dismissed, ...state.blocked];
  // The model changes only with the nightly run, which drops the memo.
  const collaborative = await alsModel(context);
  const candidates = await candidateSources(state.weights, {
    // The exact scan over the vectors in memory once they are loaded; pgvector's HNSW until then.
    content: async (limit) =>
      context.recommend.memory.vectorMemory.nearest(model.id, vector, limit, new Set(exclude)) ??
      (await nearestBooks(context.db, model.id, model.dimension, vector, limit, exclude)),
    collaborative: collaborative && {
      recommend: (limit) => collaborativeCandidates(collaborative, state.evidence, limit, new Set(exclude)),
      similar: (book, limit) => similarByFactors(collaborative, book, limit),
    },
    popular: () => popularWithEvidence(context),
  });
  if (!candidates) return null;
  const { sources } = candidates;

  const ids = new Set([
    ...Object.values(sources).flatMap((list) => list.map((item) => item.id)),
    ...state.pinned,
  ]);
  const facts = await context.recommend.memory.bookFacts(context.db, [...ids, ...state.weights.keys()]);
  const allowed = gate(state, options);
  const eligible = (id: string) => {
    const book = facts.get(id);
    return !!book && allowed(book);
  };
  for (const name of Object.keys(sources) as SourceName[])
    sources[name] = sources[name]?.filter((item) => eligible(item.id));
  const fit = new Map([...facts.values()].map((book) => [book.id, levelFit(book.level, state.band)]));
  const blended = blendCandidates(sources, candidates.weights, { levelFit: fit }).slice(
    0,
    Math.max(50, options.k * 5),
  );
  const vectors = state.model
    ? await context.recommend.memory.bookVectors(
        context.db,
        state.model.id,
        blended.map((item) => item.id),
      )
    : new Map();
  const order = mmr(
    blended.map((item) => ({ id: item.id, score: item.score, vector: vectors.get(item.id) ?? null })),
    options.k,
    options.lambda,
  );
  const readWork = (id: string) => {
    const workKey = facts.get(id)?.workKey;
    return workKey != null && state.readWorks.has(workKey);
  };
  const pinned = state.pinned.filter(
    (id) => facts.has(id) && !state.read.has(id) && !readWork(id) && !state.dismissed.has(id),
  );
  const room = Math.max(0, options.k - pinned.length);
  const seed = [...`${state.id}:${new Date().toISOString().slice(0, 13)}`].reduce(
    (hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0,
    7,
  );
  const list = chooseExplorationSlots<SourceName>({
    k: room,
    ranked: order.filter((id) => !pinned.includes(id)),
    candidates: Object.fromEntries(
      Object.entries(sources).map(([name, items]) => [name, items.map((item) => item.id)]),
    ),
    stats: await clickThrough(context),
    random: seededRandom(seed),
  });
  const byId = new Map(blended.map((item) => [item.id, item]));
  const titles = new Map([...facts.values()].map((book) => [book.id, book.title]));
  const items: Ranked[] = [];
  for (const id of pinned) {
    const book = facts.get(id) as BookFacts;
    items.push({
      bookId: id,
      title: book.title,
      authors: book.authors,
      score: 1,
      proposedBy: 'pinned',
      exploratory: false,
      pinned: true,
      explanation: explainFor(
        state,
        book,
        { sources: [], best: 'content', pinned: true, exploratory: false },
        vectors,
        titles,
      ),
    });
  }
  for (const entry of list) {
    const book = facts.get(entry.id);
    if (!book) continue;
    const blend = byId.get(entry.id);
    const best: SourceName = entry.source ?? blend?.best ?? 'popular';
    items.push({
      bookId: entry.id,
      title: book.title,
      authors: book.authors,
      score: blend?.score ?? 0,
      proposedBy: best,
      exploratory: entry.exploratory,
      pinned: false,
      explanation: explainFor(
        state,
        book,
        { sources: blend?.sources ?? [best], best, pinned: false, exploratory: entry.exploratory },
        vectors,
        titles,
      ),
    });
  }
  return { items, model: state.model?.id ?? null, createdAt: Date.now() };
}

/** Candidates whose facts a ranked list loads at first. */
const FACTS_PAGE = 50;

/** A list from a ranked source (batch or popular), filtered for the reader. */
async function fromList(
  context: Context,
  state: ReaderState,
  list: { id: string; score: number }[],
  proposedBy: CandidateSource,
  options: ServeOptions,
): Promise<CachedList | null> {
  const items: Ranked[] = [];
  const allowed = gate(state, options);
  // Facts are loaded a page at a time (the popular list is 2,000 long; a page nearly always fills k).
  let page = Math.max(FACTS_PAGE, options.k * 5);
  let facts = new Map<string, BookFacts>();
  let loadedTo = 0;
  for (const [index, candidate] of list.entries()) {
    if (index >= loadedTo) {
      facts = await context.recommend.memory.bookFacts(
        context.db,
        list.slice(index, index + page).map((item) => item.id),
      );
      loadedTo = index + page;
      page *= 4;
    }
    const book = facts.get(candidate.id);
    if (!book || !allowed(book)) continue;
    const source: SourceName = proposedBy === 'batch' ? 'collaborative' : 'popular';
    items.push({
      bookId: book.id,
      title: book.title,
      authors: book.authors,
      score: candidate.score,
      proposedBy,
      exploratory: false,
      pinned: false,
      explanation: explain(
        { ...book, level: book.readingLevel, grade: book.level, sources: [source], best: source },
        { interests: state.interests, band: state.band },
      ),
    });
    if (items.length >= options.k) break;
  }
  return items.length > 0 ? { items, model: state.model?.id ?? null, createdAt: Date.now() } : null;
}

/** Logs a served list (after the response) and numbers its items. */
async function deliver(
  context: Context,
  readerId: string,
  source: Recommendations['source'],
  list: CachedList,
  started: number,
): Promise<Recommendations> {
  const requestId = randomUUID();
  const first = await context.recommend.impressions.reserve(list.items.length);
  const items: RecommendedItem[] = list.items.map((item, position) => ({
    ...item,
    source,
    position,
    recLogId: first + position,
  }));
  const impressions: Impression[] = items.map((item) => ({
    requestId,
    readerId,
    bookId: item.bookId,
    position: item.position,
    source,
    proposedBy: item.proposedBy,
    score: item.score,
    exploratory: item.exploratory,
    explanation: item.explanation,
  }));
  context.recommend.impressions.enqueue(first, impressions, context.after);
  return { requestId, readerId, source, items, model: list.model, tookMs: performance.now() - started };
}

/** Serves a reader's list through the chain. */
export async function serve(
  context: Context,
  readerId: string,
  options: ServeOptions,
): Promise<Recommendations> {
  const started = performance.now();
  // A setting change clears the cache, so lists cached under the old values never outlive them.
  const settings = await context.recommend.memo.memo('serving-settings', Infinity, async () => {
    const rows = await context.db.query<{ key: string; value: unknown }>(
      "SELECT key, value FROM settings WHERE key IN ('recommend.diversity', 'recommend.excludedWarnings')",
    );
    return rows.rows;
  });
  for (const row of settings) {
    if (row.key === 'recommend.diversity' && typeof row.value === 'number')
      options = { ...options, lambda: row.value };
    if (row.key === 'recommend.excludedWarnings' && Array.isArray(row.value))
      options = { ...options, excludedWarnings: row.value.map(String) };
  }
  const { memo, memory } = context.recommend;
  // The active model changes only with a setting or new vectors, both of which drop the memo.
  const model = await memo.memo('active-vectors', Infinity, () => activeVectors(context.db));
  const state = await memory.readerState(readerId, () =>
    loadReaderState(context.db, readerId, {
      model,
      vectors: memory,
    }),
  );
  const chain: [Recommendations['source'], () => Promise<CachedList | null>][] = [
    ['personalised', () => personalised(context, state, options)],
    [
      'batch',
      async () =>
        fromList(
          context,
          state,
          await memory.batchList(readerId, () => batchBooks(context.db, readerId)),
          'batch',
          options,
        ),
    ],
    ['popular', async () => fromList(context, state, await popularList(context), 'popular', options)],
  ];
  for (const [source, step] of chain) {
    const list = await step();
    if (!list || list.items.length === 0) continue;
    return deliver(context, readerId, source, list, started);
  }
  return deliver(
    context,
    readerId,
    'popular',
    { items: [], model: state.model?.id ?? null, createdAt: Date.now() },
    started,
  );
}
