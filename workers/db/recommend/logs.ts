/**
 * Impression logs. Every served list is logged (request, position, source, score, whether it was an
 * exploratory pick), and each item carries its log id so the interaction that follows can cite it.
 *
 * Ids are handed out by the db worker itself (it is the only writer): the response goes back at once
 * and the rows wait in memory, written in one statement when the worker is next asked anything else
 * (so any later call, an interaction citing an id included, sees them) or after
 * {@link FLUSH_DELAY_MS}, so back-to-back requests never queue behind each other's log writes.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { CandidateSource, RecommendationSource } from '../../../shared/contract/recommend';

/** One impression to log. */
export interface Impression {
  requestId: string;
  readerId: string | null;
  bookId: string;
  position: number;
  source: RecommendationSource | 'group';
  proposedBy: CandidateSource;
  score: number;
  exploratory: boolean;
  explanation: string;
}

/**
 * How long served lists wait in memory at most before their rows are written. A write holds the
 * worker (PGlite is single-threaded), so rarer, larger writes delay fewer requests: at 50 ms about
 * one request in ten waited behind one (serve benchmark, p95); at a second, one in a hundred. Any
 * other call writes them first, and closing the library does too.
 */
export const FLUSH_DELAY_MS = 1000;

/** Hands out rec_logs ids and writes impressions in bulk. */
export class ImpressionLog {
  private next = 0;
  private ready: Promise<void> | null = null;
  private pending: { firstId: number; impressions: readonly Impression[] }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly db: PGlite) {}

  private async start(): Promise<void> {
    const result = await this.db.query<{ max: string | null }>('SELECT max(id)::text AS max FROM rec_logs');
    this.next = Number(result.rows[0]?.max ?? 0) + 1;
  }

  /** Reserves `count` consecutive ids. */
  async reserve(count: number): Promise<number> {
    this.ready ??= this.start();
    await this.ready;
    const first = this.next;
    this.next += count;
    return first;
  }

  /**
   * Keeps a served list's impressions (ids from `firstId` on) for the next {@link flush};
   * `schedule(flush)` runs the timed flush in the worker's queue.
   */
  enqueue(
    firstId: number,
    impressions: readonly Impression[],
    schedule: (flush: () => Promise<void>) => void,
  ): void {
    if (impressions.length === 0) return;
    this.pending.push({ firstId, impressions });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      schedule(() => this.flush());
    }, FLUSH_DELAY_MS);
  }

  /** Whether impressions wait to be written. */
  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /** Writes every waiting impression in one statement. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const ids: number[] = [];
    const rows: Impression[] = [];
    for (const { firstId, impressions } of batch)
      impressions.forEach((impression, index) => {
        ids.push(firstId + index);
        rows.push(impression);
      });
    await this.write(ids, rows);
  }

  /** Writes impressions with the given ids. */
  private async write(ids: readonly number[], impressions: readonly Impression[]): Promise<void> {
    if (impressions.length === 0) return;
    await this.db.query(
      `INSERT INTO rec_logs (id, request_id, reader_id, book_id, position, source, score, exploratory, proposed_by, explanation)
       SELECT x.id, x.request_id, x.reader_id, x.book_id, x.position, x.source, x.score, x.exploratory, x.proposed_by,
              jsonb_build_object('text', x.explanation)
         FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::uuid[], $5::smallint[], $6::text[], $7::real[],
                     $8::boolean[], $9::text[], $10::text[])
           AS x(id, request_id, reader_id, book_id, position, source, score, exploratory, proposed_by, explanation)
        WHERE EXISTS (SELECT 1 FROM books WHERE id = x.book_id)`,
      [
        ids,
        impressions.map((item) => item.requestId),
        impressions.map((item) => item.readerId),
        impressions.map((item) => item.bookId),
        impressions.map((item) => item.position),
        impressions.map((item) => item.source),
        impressions.map((item) => item.score),
        impressions.map((item) => item.exploratory),
        impressions.map((item) => item.proposedBy),
        impressions.map((item) => item.explanation),
      ],
    );
  }
}
