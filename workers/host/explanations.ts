/**
 * Optional LLM explanations: one friendly sentence per recommended book from any OpenAI-compatible
 * chat endpoint (OpenAI, Ollama, LM Studio, Jan), cached by prompt in the database. The prompt is
 * built from the book's catalogue record and the template reason only: never a reader's name, notes
 * or any other free text about a student. Any failure keeps the template sentence.
 */
import { createHash } from 'node:crypto';
import type { Remote } from 'comlink';
import OpenAI from 'openai';
import type { Recommendations } from '../../shared/contract/recommend';
import type { DbService } from '../db/service';
import { OPENAI_BASE_URL } from '../embed/openai-provider';
import { type SecretStore, readOpenAiKeyFrom } from '../embed/secrets';

/** What the prompt is made of, per item (all of it from the catalogue and the template). */
export interface ExplanationFacts {
  title: string;
  authors: string[];
  reason: string;
}

/** The prompt for one book. Exported so tests can check exactly what leaves the device. */
export function explanationPrompt(facts: ExplanationFacts): string {
  return [
    'Write one friendly sentence (at most 25 words) telling a young reader why they might enjoy this book.',
    'Do not invent facts about the book and do not address the reader by name.',
    `Book: ${facts.title}${facts.authors.length ? ` by ${facts.authors.join(', ')}` : ''}.`,
    `Why it was picked: ${facts.reason}.`,
  ].join('\n');
}

async function setting(db: Remote<DbService>, key: string): Promise<unknown> {
  const result = await db.call('settings.get', { key });
  return result.ok ? (result.value as { value: unknown }).value : undefined;
}

/**
 * Replaces each item's explanation by an LLM sentence when `explanations.llm.enabled` is on; keeps
 * the template otherwise or on any failure (the list is never held up for long: 15 s per request).
 */
export async function withLlmExplanations(
  list: Recommendations,
  db: Remote<DbService>,
  secrets: SecretStore,
): Promise<Recommendations> {
  if ((await setting(db, 'explanations.llm.enabled')) !== true || list.items.length === 0) return list;
  const baseUrl = String((await setting(db, 'explanations.llm.baseUrl')) ?? '') || OPENAI_BASE_URL;
  const model = String((await setting(db, 'explanations.llm.model')) ?? 'gpt-4o-mini');
  const apiKey = await readOpenAiKeyFrom(secrets).catch(() => null);
  if (!apiKey && baseUrl === OPENAI_BASE_URL) return list;
  const client = new OpenAI({
    apiKey: apiKey ?? 'not-needed',
    baseURL: baseUrl,
    maxRetries: 1,
    timeout: 15_000,
    organization: null,
    project: null,
  });
  const prompts = list.items.map((item) =>
    explanationPrompt({ title: item.title, authors: item.authors, reason: item.explanation }),
  );
  const keys = prompts.map((prompt) => createHash('sha1').update(`${model}\n${prompt}`).digest('hex'));
  const cached = await db.explanationsGet(keys);
  const fresh = new Map<string, string>();
  await Promise.all(
    prompts.map(async (prompt, index) => {
      const key = keys[index] as string;
      if (cached[key]) return;
      try {
        const reply = await client.chat.completions.create({
          model,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: 60,
          temperature: 0.4,
        });
        const text = reply.choices[0]?.message.content?.trim().replace(/\s+/g, ' ');
        if (text) fresh.set(key, text.slice(0, 300));
      } catch {
        // The template sentence stays: an explanation is never worth an error.
      }
    }),
  );
  if (fresh.size > 0) await db.explanationsPut(Object.fromEntries(fresh));
  return {
    ...list,
    items: list.items.map((item, index) => {
      const key = keys[index] as string;
      return { ...item, explanation: cached[key] ?? fresh.get(key) ?? item.explanation };
    }),
  };
}
