/**
 * Group picks for a literature circle: books every member may read (within every member's band,
 * past every member's filters, unread by all), ranked by closeness to the group's mean taste and by
 * how well the level suits the members on average.
 */
import { randomUUID } from 'node:crypto';
import type { Recommendations } from '../../../shared/contract/recommend';
import { explain } from '../../../shared/recommend/explain';
import { eligibility } from '../../../shared/recommend/filters';
import { levelFit } from '../../../shared/recommend/levels';
import { meanVector } from '../../../shared/recommend/profile';
import type { Context } from '../context';
import { nearestBooks } from '../embeddings/vectors';
import { loadBookFacts, popularBooks } from './books';
import { loadReaderState } from './reader-state';

/** Books for every member of `readerIds`. */
export async function groupPicks(context: Context, readerIds: string[], k: number): Promise<Recommendations> {
  const started = performance.now();
  const states = await Promise.all([...new Set(readerIds)].map((id) => loadReaderState(context.db, id)));
  const model = states.find((state) => state.model)?.model ?? null;
  const taste = meanVector(states.flatMap((state) => (state.vector ? [state.vector] : [])));
  const exclude = states.flatMap((state) => [...state.read, ...state.dismissed, ...state.blocked]);
  const content =
    taste && model ? await nearestBooks(context.db, model.id, model.dimension, taste, 300, exclude) : [];
  const popular = await popularBooks(context.db, 1000);
  const scores = new Map<string, number>();
  content.forEach((item, rank) => scores.set(item.id, 1 / (60 + rank + 1)));
  popular.forEach((item, rank) => scores.set(item.id, (scores.get(item.id) ?? 0) + 0.3 / (60 + rank + 1)));
  const facts = await loadBookFacts(context.db, [...scores.keys()]);
  const ranked = [...facts.values()]
    .filter((book) =>
      states.every(
        (state) =>
          eligibility(
            book,
            { kind: state.kind, age: state.age, grade: state.grade, band: state.band },
            {
              read: state.read,
              readWorks: state.readWorks,
              dismissed: state.dismissed,
              blocked: state.blocked,
            },
          ).ok &&
          // A group book must be at every member's level, so an unknown level does not qualify.
          (state.band === null || levelFit(book.level, state.band) > 0),
      ),
    )
    .map((book) => {
      const fit = states.reduce((sum, state) => sum + levelFit(book.level, state.band), 0) / states.length;
      return { book, score: (scores.get(book.id) ?? 0) * (0.75 + 0.25 * fit) };
    })
    .sort((a, b) => b.score - a.score || a.book.id.localeCompare(b.book.id))
    .slice(0, k);
  const requestId = randomUUID();
  const source = content.length > 0 ? 'personalised' : 'popular';
  const first = await context.recommend.impressions.reserve(ranked.length);
  const items = ranked.map(({ book, score }, position) => ({
    bookId: book.id,
    title: book.title,
    authors: book.authors,
    score,
    source,
    proposedBy: content.some((item) => item.id === book.id) ? ('content' as const) : ('popular' as const),
    exploratory: false,
    pinned: false,
    position,
    recLogId: first + position,
    explanation: `Suits every member of the group · ${explain({ ...book, level: book.readingLevel, grade: book.level }, {})}`,
  })) satisfies Recommendations['items'];
  context.recommend.impressions.enqueue(
    first,
    items.map((item) => ({ ...item, requestId, readerId: null, source: 'group' as const })),
    context.after,
  );
  return {
    requestId,
    readerId: '',
    source,
    items,
    model: model?.id ?? null,
    tookMs: performance.now() - started,
  };
}
