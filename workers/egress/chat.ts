/**
 * The chat destination: the only way to ask an LLM. It takes a structured prompt about one catalogue
 * book (title, authors, subjects, and which of the book's own subjects or tags matched) and writes
 * the text itself, so no caller can slip a reader's name, notes, interests, level or history into it.
 */
import { type Credential, EgressRefused, assertCarries } from './fetch';
import { openAiClient } from './openai-client';

/** A book as the catalogue describes it. */
export interface CatalogueBook {
  title: string;
  authors: readonly string[];
  /** The book's subjects and tags (catalogue data). */
  subjects: readonly string[];
}

/** What may be asked. */
export type ChatPrompt =
  /** One friendly sentence about the book; `matched` are names from `book.subjects` only. */
  | { task: 'explain'; book: CatalogueBook; matched: readonly string[] }
  /** The school grade that can read the book. */
  | { task: 'level'; book: CatalogueBook };

function byline(book: CatalogueBook): string {
  return `Book: ${book.title}${book.authors.length ? ` by ${book.authors.join(', ')}` : ''}.`;
}

/**
 * The text of a prompt. Refuses `matched` names that are not among the book's own subjects or tags
 * (that is where a typed interest would otherwise get in).
 */
export function chatText(prompt: ChatPrompt): string {
  const { book } = prompt;
  if (prompt.task === 'level')
    return [
      'Estimate the US school grade (0 = kindergarten … 12) whose average reader could read this book on their own.',
      'Answer with JSON only: {"grade": <number>} — or {"grade": null} if you do not know the book.',
      byline(book),
      ...(book.subjects.length ? [`Subjects: ${book.subjects.slice(0, 8).join(', ')}.`] : []),
    ].join('\n');
  const own = new Set(book.subjects);
  const stray = prompt.matched.find((name) => !own.has(name));
  if (stray !== undefined)
    throw new EgressRefused(
      'chat',
      'a matched topic must be one of the book’s own catalogue subjects or tags',
    );
  return [
    'Write one friendly sentence (at most 25 words) telling a young reader why they might enjoy this book.',
    'Do not invent facts about the book and do not address the reader.',
    byline(book),
    ...(prompt.matched.length ? [`It is about: ${prompt.matched.slice(0, 5).join(', ')}.`] : []),
  ].join('\n');
}

/** Where to ask and how. */
export interface ChatOptions {
  baseUrl: string;
  model: string;
  credential: Credential | null;
  /** Whether chat is on now (re-read before every request). */
  enabled: () => Promise<boolean>;
  timeoutMs: number;
  maxRetries: number;
}

/** A chat client: `ask` sends one prompt and answers the reply's text ('' when none). */
export function createChat(options: ChatOptions) {
  const client = openAiClient({
    kind: 'chat',
    baseUrl: options.baseUrl,
    credential: options.credential,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    enabled: options.enabled,
  });
  return {
    async ask(prompt: ChatPrompt, tuning: { maxTokens: number; temperature: number }): Promise<string> {
      assertCarries('chat', [
        'catalogue-book',
        ...(prompt.task === 'explain' ? (['catalogue-tag'] as const) : []),
      ]);
      const reply = await (
        await client
      ).chat.completions.create({
        model: options.model,
        messages: [{ role: 'user', content: chatText(prompt) }],
        max_tokens: tuning.maxTokens,
        temperature: tuning.temperature,
      });
      return reply.choices[0]?.message.content ?? '';
    },
  };
}
