/**
 * Optional LLM explanations: one friendly sentence per recommended book from any OpenAI-compatible
 * chat endpoint (OpenAI, Ollama, LM Studio, Jan), cached by prompt in the database. The prompt goes
 * through the egress module's chat destination, which takes catalogue data about the book only (its
 * title, authors, and which of its own subjects or tags matched the reader's interests), never the
 * reader's name, notes, interests as typed, level or history. The template reason ("Because you liked
 * …") stays on the device, shown before the LLM's sentence. Any failure keeps the template sentence.
 */
import { createHash } from 'node:crypto';
import type { Recommendations } from '../../shared/contract/recommend';
import type { SettingKey, SettingValues } from '../../shared/contract/settings';
import { matchingTopics } from '../../shared/recommend/explain';
import type { DbClient } from '../../shared/contract/db-client';
import type { SecretStore } from '../egress/secrets';
import { type ChatPrompt, chatText, createChat } from '../egress/chat';
import { OPENAI_BASE_URL, credentialFor, isOpenAiOrigin, keyOrigin } from '../egress/keys';

/** A setting's value (undefined when it cannot be read). */
export async function llmSetting(
  db: DbClient,
  key: SettingKey,
): Promise<SettingValues[SettingKey] | undefined> {
  const result = await db.settings.get({ key });
  return result.ok ? result.value.value : undefined;
}

/** The chat endpoint and model, with its key (for its own origin), or null when chat cannot run. */
export async function chatEndpoint(
  db: DbClient,
  secrets: SecretStore,
  timeoutMs: number,
  maxRetries: number,
): Promise<{ model: string; chat: ReturnType<typeof createChat> } | null> {
  if ((await llmSetting(db, 'explanations.llm.enabled')) !== true) return null;
  const baseUrl = String((await llmSetting(db, 'explanations.llm.baseUrl')) ?? '') || OPENAI_BASE_URL;
  const model = String((await llmSetting(db, 'explanations.llm.model')) ?? 'gpt-4o-mini');
  const credential = await credentialFor(secrets, baseUrl).catch(() => null);
  const origin = keyOrigin(baseUrl);
  if (!origin || (!credential && isOpenAiOrigin(origin))) return null;
  const chat = createChat({
    baseUrl,
    model,
    credential,
    enabled: async () => (await llmSetting(db, 'explanations.llm.enabled')) === true,
    timeoutMs,
    maxRetries,
  });
  return { model, chat };
}

/**
 * Adds an LLM sentence to each item's explanation when `explanations.llm.enabled` is on; keeps the
 * template otherwise or on any failure (the list is never held up for long: 15 s per request).
 */
export async function withLlmExplanations(
  list: Recommendations,
  db: DbClient,
  secrets: SecretStore,
): Promise<Recommendations> {
  if (list.items.length === 0) return list;
  const endpoint = await chatEndpoint(db, secrets, 15_000, 1);
  if (!endpoint) return list;
  const found = await db.readers.get({ id: list.readerId });
  const reader = found.ok ? found.value : null;
  const books = await Promise.all(
    list.items.map(async (item) => {
      const book = await db.books.get({ id: item.bookId });
      return book.ok ? book.value : null;
    }),
  );
  const prompts = list.items.map((item, index): ChatPrompt => {
    const book = books[index];
    const subjects = [...(book?.subjects ?? []), ...(book?.tags ?? [])];
    return {
      task: 'explain',
      book: { title: item.title, authors: item.authors, subjects },
      matched: matchingTopics({ subjects }, reader?.interests ?? []),
    };
  });
  const keys = prompts.map((prompt) =>
    createHash('sha1')
      .update(`${endpoint.model}\n${chatText(prompt)}`)
      .digest('hex'),
  );
  const stored = await db.explanations.get({ keys });
  const cached = stored.ok ? stored.value : {};
  const fresh = new Map<string, string>();
  await Promise.all(
    prompts.map(async (prompt, index) => {
      const key = keys[index] as string;
      if (cached[key]) return;
      try {
        const reply = await endpoint.chat.ask(prompt, { maxTokens: 60, temperature: 0.4 });
        const text = reply.trim().replace(/\s+/g, ' ');
        if (text) fresh.set(key, text.slice(0, 300));
      } catch {
        // The template sentence stays: an explanation is never worth an error.
      }
    }),
  );
  if (fresh.size > 0) await db.explanations.put({ entries: Object.fromEntries(fresh) });
  return {
    ...list,
    items: list.items.map((item, index) => {
      const key = keys[index] as string;
      const sentence = cached[key] ?? fresh.get(key);
      // The personal reason is the template's, made on the device; the LLM only describes the book.
      return sentence ? { ...item, explanation: `${item.explanation}. ${sentence}` } : item;
    }),
  };
}
