/**
 * The analytics view's charts beyond `stats.get`: reading over time (interactions per ISO week) and
 * the library audit (books per grade band against the readers centred in each band).
 */
import type { ReadingLevelSystem } from '../../../shared/contract/domain';
import type { LevelAudit, ReadingActivity } from '../../../shared/contract/recommend';
import { bookGrade, readerBand } from '../../../shared/recommend/levels';
import type { HandlerSlice } from './types';

const WEEK_MS = 7 * 86_400_000;
/** Default span of the activity chart. */
const DEFAULT_WEEKS = 12;
/** Lowest and highest whole-grade bands: pre-kindergarten and adult, as readers' grades are stored. */
const LOWEST_GRADE = -1;
const HIGHEST_GRADE = 13;

/** Interaction types that are reading itself, and those that are feedback on recommendations. */
const READING_TYPES = ['checkout', 'return', 'finish', 'rating'];
const FEEDBACK_TYPES = ['thumbs_up', 'thumbs_down', 'dismiss', 'want', 'pin', 'block'];

/** The band label of a whole grade. */
function gradeLabel(grade: number): string {
  if (grade <= -1) return 'Pre-K';
  if (grade === 0) return 'K';
  if (grade >= 13) return 'Adult';
  return String(grade);
}

/** The whole-grade band a grade equivalent falls in, clamped to pre-K … adult. */
function bandOf(grade: number): number {
  return Math.max(LOWEST_GRADE, Math.min(HIGHEST_GRADE, Math.floor(grade)));
}

interface LevelRow {
  reading_level: string | null;
  reading_level_system: ReadingLevelSystem | null;
}

function levelOf(row: LevelRow) {
  return row.reading_level && row.reading_level_system
    ? { value: row.reading_level, system: row.reading_level_system }
    : null;
}

export const analyticsHandlers = {
  async 'analytics.activity'(input, context): Promise<ReadingActivity> {
    const to = input?.to ? new Date(input.to) : new Date();
    const from = input?.from ? new Date(input.from) : new Date(to.getTime() - DEFAULT_WEEKS * WEEK_MS);
    const result = await context.db.query<{
      week: string;
      reading: number;
      feedback: number;
      other: number;
    }>(
      `WITH weeks AS (
         SELECT generate_series(date_trunc('week', $1::timestamptz AT TIME ZONE 'UTC'),
                                date_trunc('week', $2::timestamptz AT TIME ZONE 'UTC'),
                                interval '1 week') AS week
       ), counted AS (
         SELECT date_trunc('week', i.occurred_at AT TIME ZONE 'UTC') AS week,
                count(*) FILTER (WHERE i.type = ANY($4::text[]))::int AS reading,
                count(*) FILTER (WHERE i.type = ANY($5::text[]))::int AS feedback,
                count(*) FILTER (WHERE NOT i.type = ANY($4::text[] || $5::text[]))::int AS other
           FROM interactions i
          WHERE i.occurred_at >= $1 AND i.occurred_at <= $2
            AND ($3::uuid IS NULL OR i.reader_id IN (SELECT id FROM readers WHERE class_id = $3))
          GROUP BY 1
       )
       SELECT to_char(w.week, 'YYYY-MM-DD') AS week, coalesce(c.reading, 0) AS reading,
              coalesce(c.feedback, 0) AS feedback, coalesce(c.other, 0) AS other
         FROM weeks w LEFT JOIN counted c ON c.week = w.week ORDER BY w.week`,
      [from.toISOString(), to.toISOString(), input?.classId ?? null, READING_TYPES, FEEDBACK_TYPES],
    );
    return { from: from.toISOString(), to: to.toISOString(), weeks: result.rows };
  },

  async 'analytics.levels'(input, context): Promise<LevelAudit> {
    const ownedOnly = input?.ownedOnly ?? false;
    const [books, readers] = await Promise.all([
      context.db.query<LevelRow>(
        `SELECT reading_level, reading_level_system FROM books WHERE NOT $1::boolean OR owned_copies > 0`,
        [ownedOnly],
      ),
      context.db.query<LevelRow & { grade: number | null; age: number | null }>(
        `SELECT reading_level, reading_level_system, grade, age FROM readers
          WHERE kind = 'student' AND ($1::uuid IS NULL OR class_id = $1)`,
        [input?.classId ?? null],
      ),
    ]);
    const bands: LevelAudit['bands'] = [];
    for (let grade = LOWEST_GRADE; grade <= HIGHEST_GRADE; grade++)
      bands.push({ grade, label: gradeLabel(grade), books: 0, readers: 0 });
    const at = (grade: number) => bands[bandOf(grade) - LOWEST_GRADE] as LevelAudit['bands'][number];

    let booksWithoutLevel = 0;
    for (const row of books.rows) {
      const grade = bookGrade(levelOf(row));
      if (grade === null) booksWithoutLevel++;
      else at(grade).books++;
    }
    let readersWithoutLevel = 0;
    for (const row of readers.rows) {
      const band = readerBand({ level: levelOf(row), grade: row.grade, age: row.age });
      if (band === null) readersWithoutLevel++;
      else at(band.centre).readers++;
    }
    return { bands, booksWithoutLevel, readersWithoutLevel, ownedOnly };
  },
} satisfies HandlerSlice<'analytics'>;
