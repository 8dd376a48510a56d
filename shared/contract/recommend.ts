/** Contract types of recommendations, group picks and analytics. */

/** Where a served list came from, in the order the serving chain tries them. */
export type RecommendationSource = 'cache' | 'personalised' | 'batch' | 'popular';

/** Which candidate source proposed an item. */
export type CandidateSource = 'content' | 'collaborative' | 'similar' | 'popular' | 'batch' | 'pinned';

/** One recommended book. */
export interface RecommendedItem {
  /** The book. */
  bookId: string;
  /** Its title and authors, for display without another call. */
  title: string;
  authors: string[];
  /** Blended score (higher is better; comparable within one list only). */
  score: number;
  /** The chain step that served the list (`cache` on a cache hit). */
  source: RecommendationSource;
  /** The candidate source that proposed this item. */
  proposedBy: CandidateSource;
  /** Picked by the exploration policy rather than by score. */
  exploratory: boolean;
  /** Pinned by a teacher (always shown). */
  pinned: boolean;
  /** Position in the list, from 0. */
  position: number;
  /** The log entry of this impression: pass it with the interaction that follows (attribution). */
  recLogId: number;
  /** Why this book (a template sentence; or an LLM sentence when enabled and `explain` was asked). */
  explanation: string;
}

/** A served list. */
export interface Recommendations {
  /** Identifies this request in the logs. */
  requestId: string;
  /** The reader. */
  readerId: string;
  /** Where the list came from. */
  source: RecommendationSource;
  /** The books, best first. */
  items: RecommendedItem[];
  /** The embedding model the content part used (null when none had vectors). */
  model: string | null;
  /** Time spent in the core, in ms. */
  tookMs: number;
}

/** Reading analytics over a period. */
export interface ReadingStats {
  /** The period (ISO dates). */
  from: string;
  to: string;
  /** Readers counted (one class, or all). */
  readers: number;
  /** Click-through rate by the source that served: clicks (any positive interaction attributed to a served item) / impressions. */
  ctr: Record<string, { impressions: number; clicks: number; rate: number }>;
  /** Share of the catalogue recommended at least once. */
  coverage: number;
  /** Mean intra-list diversity (1 − mean pairwise cosine of the books' vectors) of the served lists. */
  diversity: number | null;
  /** Mean novelty (−log2 popularity share) of served books. */
  novelty: number | null;
  /** Per reader: impressions, clicks, distinct books served. */
  perReader: { readerId: string; impressions: number; clicks: number; distinctBooks: number }[];
}

/** Interactions per week (see `analytics.activity`). */
export interface ReadingActivity {
  /** The period (ISO dates). */
  from: string;
  to: string;
  /** One entry per ISO week in the period, oldest first; `week` is the Monday (ISO date). */
  weeks: { week: string; reading: number; feedback: number; other: number }[];
}

/** The library audit (see `analytics.levels`). */
export interface LevelAudit {
  /** One entry per whole-grade band from pre-K (−1) to adult (13), lowest first. */
  bands: {
    /** The band's grade: books and readers whose grade equivalent lies in [grade, grade + 1). */
    grade: number;
    /** A short label: `Pre-K`, `K`, `1` … `12`, `Adult`. */
    label: string;
    /** Books at this level (owned books only when `ownedOnly`). */
    books: number;
    /** Readers whose band is centred here. */
    readers: number;
  }[];
  /** Books whose level is unknown or in a system with no grade equivalent. */
  booksWithoutLevel: number;
  /** Readers with no level, grade or age. */
  readersWithoutLevel: number;
  /** Whether only owned books were counted. */
  ownedOnly: boolean;
}
