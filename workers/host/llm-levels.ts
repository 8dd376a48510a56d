/**
 * Enrichment by LLM (when `explanations.llm.enabled` is on): an estimated reading level, as a school
 * grade, for books whose record has neither a level nor enough text for a readability estimate. The
 * prompt holds the catalogue record only (title, authors, subjects), never anything about a reader.
 * Each answer is stored as `estimated` (never `known`: the child gate keeps relying on known audience
 * data or a teacher's approval), and every book is asked once: a book the model cannot place is
 * remembered as unknown.
 */
import { unwrap } from '../../shared/contract/errors';
import type { LevelCandidate } from '../../shared/contract/internal';
import type { DbClient } from '../../shared/contract/db-client';
import type { SecretStore } from '../egress/secrets';
import { chatText } from '../egress/chat';
import { chatEndpoint } from './explanations';

/** Books asked about per run (a run every few minutes works through a large import). */
export const LLM_LEVEL_BATCH = 40;

/** What the prompt is made of (all of it from the catalogue). */
export type LevelFacts = Omit<LevelCandidate, 'id'>;

/** The prompt for one book (written by the egress module's chat destination). */
export function levelPrompt(book: LevelFacts): string {
  return chatText({ task: 'level', book });
}

/** The grade in a model's answer, or null (anything unparsable or out of range counts as unknown). */
export function parseGrade(answer: string): number | null {
  const json = /\{[^}]*\}/.exec(answer)?.[0];
  if (!json) return null;
  try {
    const grade = (JSON.parse(json) as { grade?: unknown }).grade;
    return typeof grade === 'number' && Number.isFinite(grade) && grade >= 0 && grade <= 13
      ? Math.round(grade * 10) / 10
      : null;
  } catch {
    return null;
  }
}

/**
 * One enrichment run: asks about up to {@link LLM_LEVEL_BATCH} books; returns how many were asked
 * and how many got a level. Does nothing while LLM features are off. A failed request leaves its
 * book unasked, so the next run tries again.
 */
export async function estimateLevelsWithLlm(
  db: DbClient,
  secrets: SecretStore,
): Promise<{ asked: number; estimated: number }> {
  const endpoint = await chatEndpoint(db, secrets, 30_000, 2);
  if (!endpoint) return { asked: 0, estimated: 0 };
  const books = unwrap(await db.llmLevels.candidates({ limit: LLM_LEVEL_BATCH }));
  if (books.length === 0) return { asked: 0, estimated: 0 };
  const answers: { id: string; grade: number | null }[] = [];
  // A few at a time: a local model server handles one or two requests at once.
  for (let start = 0; start < books.length; start += 4)
    await Promise.all(
      books.slice(start, start + 4).map(async (book) => {
        try {
          const reply = await endpoint.chat.ask({ task: 'level', book }, { maxTokens: 20, temperature: 0 });
          answers.push({ id: book.id, grade: parseGrade(reply) });
        } catch {
          // Not remembered: the book is asked again on the next run.
        }
      }),
    );
  const estimated = unwrap(await db.llmLevels.store({ levels: answers }));
  return { asked: answers.length, estimated };
}
