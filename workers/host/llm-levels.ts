/**
 * Enrichment by LLM (when `explanations.llm.enabled` is on): an estimated reading level, as a school
 * grade, for books whose record has neither a level nor enough text for a readability estimate. The
 * prompt holds the catalogue record only (title, authors, subjects), never anything about a reader.
 * Each answer is stored as `estimated` (never `known`: the child gate keeps relying on known audience
 * data or a teacher's approval), and every book is asked once: a book the model cannot place is
 * remembered as unknown.
 */
import type { Remote } from 'comlink';
import OpenAI from 'openai';
import type { DbService } from '../db/service';
import { OPENAI_BASE_URL } from '../embed/openai-provider';
import { type SecretStore, readOpenAiKeyFrom } from '../embed/secrets';

/** Books asked about per run (a run every few minutes works through a large import). */
export const LLM_LEVEL_BATCH = 40;

/** What the prompt is made of (all of it from the catalogue). */
export interface LevelFacts {
  title: string;
  authors: string[];
  subjects: string[];
}

/** The prompt for one book. Exported so tests can check exactly what leaves the device. */
export function levelPrompt(book: LevelFacts): string {
  return [
    'Estimate the US school grade (0 = kindergarten … 12) whose average reader could read this book on their own.',
    'Answer with JSON only: {"grade": <number>} — or {"grade": null} if you do not know the book.',
    `Book: ${book.title}${book.authors.length ? ` by ${book.authors.join(', ')}` : ''}.`,
    ...(book.subjects.length ? [`Subjects: ${book.subjects.slice(0, 8).join(', ')}.`] : []),
  ].join('\n');
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

async function setting(db: Remote<DbService>, key: string): Promise<unknown> {
  const result = await db.call('settings.get', { key });
  return result.ok ? (result.value as { value: unknown }).value : undefined;
}

/**
 * One enrichment run: asks about up to {@link LLM_LEVEL_BATCH} books; returns how many were asked
 * and how many got a level. Does nothing while LLM features are off. A failed request leaves its
 * book unasked, so the next run tries again.
 */
export async function estimateLevelsWithLlm(
  db: Remote<DbService>,
  secrets: SecretStore,
): Promise<{ asked: number; estimated: number }> {
  if ((await setting(db, 'explanations.llm.enabled')) !== true) return { asked: 0, estimated: 0 };
  const baseUrl = String((await setting(db, 'explanations.llm.baseUrl')) ?? '') || OPENAI_BASE_URL;
  const model = String((await setting(db, 'explanations.llm.model')) ?? 'gpt-4o-mini');
  const apiKey = await readOpenAiKeyFrom(secrets).catch(() => null);
  if (!apiKey && baseUrl === OPENAI_BASE_URL) return { asked: 0, estimated: 0 };
  const books = await db.llmLevelCandidates(LLM_LEVEL_BATCH);
  if (books.length === 0) return { asked: 0, estimated: 0 };
  const client = new OpenAI({
    apiKey: apiKey ?? 'not-needed',
    baseURL: baseUrl,
    maxRetries: 2,
    timeout: 30_000,
    organization: null,
    project: null,
  });
  const answers: { id: string; grade: number | null }[] = [];
  // A few at a time: a local model server handles one or two requests at once.
  for (let start = 0; start < books.length; start += 4)
    await Promise.all(
      books.slice(start, start + 4).map(async (book) => {
        try {
          const reply = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: levelPrompt(book) }],
            max_tokens: 20,
            temperature: 0,
          });
          answers.push({ id: book.id, grade: parseGrade(reply.choices[0]?.message.content ?? '') });
        } catch {
          // Not remembered: the book is asked again on the next run.
        }
      }),
    );
  const estimated = await db.storeLlmLevels(answers);
  return { asked: answers.length, estimated };
}
