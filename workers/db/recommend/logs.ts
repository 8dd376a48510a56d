/**
 * Impression logs. Every served list is logged (request, position, source, score, whether it was an
 * exploratory pick), and each item carries its log id so the interaction that follows can cite it.
 *
 * Ids are handed out by the db worker itself (it is the only writer): the response goes back at once
 * and the rows are written by a task queued right behind the request, so a cache hit costs no write
 * on its own path, yet any later call (an interaction citing the id included) sees the rows.
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

/** Hands out rec_logs ids and writes impressions in bulk. */
export class ImpressionLog {
  private next = 0;
  private ready: Promise<void> | null = null;

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

  /** Writes impressions with ids from `firstId` on. */
  async write(firstId: number, impressions: readonly Impression[]): Promise<void> {
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
        impressions.map((_, index) => firstId + index),
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
