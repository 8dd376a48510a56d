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
