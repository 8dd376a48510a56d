/**
 * Issue 14's "done when": a whole classroom day through the real core with every feature that talks
 * to the network on (LLM explanations and level estimates, remote embeddings, covers from the
 * internet, sync, a model download), each destination a server on 127.0.0.1 that captures every byte of every request
 * (URL, headers, body). Readers have distinctive names, notes, typed interests, levels and histories;
 * none of it may appear in any request except what the egress table allows (a catalogue subject the
 * book itself has; ISBNs, pseudonyms and grade bands to sync). The catalogue parts must be there, so
 * the test cannot pass by sending nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { createTenant } from '../../server/tenants';
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import { bundledModelsDir } from '../../workers/db/layout';
import { OPENAI_KEY_ENV } from '../../workers/egress/secrets';
import type { Core } from '../../workers/host/core';
import { type CaptureServer, startCapture, startCaptureServer } from '../support/capture-server';
import { cleanupDirs, finishedJob, open, value } from '../support/core';
import { type FakeHub, startFakeHub } from '../support/fake-hub';
import { dropSchema, openTestDb, serve } from '../support/sync-server';

const HUB_MODEL = 'lumin-test/classroom-hub';

type NewBook = Parameters<Core['api']['books']['addMany']>[0]['books'][number];

const book = (
  title: string,
  isbn13: string,
  subjects: string[],
  description: string | null,
  extra: Partial<NewBook> = {},
): NewBook => ({
  title,
  isbn13,
  authors: ['Catalogue Author'],
  subjects,
  interestLevel: 'MG',
  interestAgeMin: 8,
  interestAgeMax: 13,
  readingLevel: { value: '700L', system: 'lexile' },
  ...(description ? { description } : {}),
  ...extra,
});

const CATALOGUE: NewBook[] = [
  book(
    'The Obsidian Lighthouse',
    '9780000000019',
    ['Mystery', 'Lighthouses'],
    'A keeper solves a mystery on a stormy coast.',
  ),
  book(
    'Ember Wings',
    '9780000000026',
    ['Dragons', 'Fantasy'],
    'A girl befriends a young dragon who cannot fly.',
  ),
  book(
    'Scales of the North',
    '9780000000033',
    ['Dragons', 'Adventure'],
    'Dragon riders cross a frozen kingdom.',
  ),
  book(
    'Harbour of Lanterns',
    '9780000000040',
    ['Sea stories'],
    'Fishing families light the harbour each winter.',
  ),
  book(
    'Copper Comet',
    '9780000000057',
    ['Space', 'Science fiction'],
    'Two friends build a rocket and chase a comet.',
  ),
  book('Moonbase Marigold', '9780000000064', ['Space'], 'Children grow flowers on a moon base.'),
  book(
    'The Clockwork Orchard',
    '9780000000071',
    ['Fantasy', 'Robots'],
    'A robot gardener tends magical trees.',
  ),
  book(
    'Riddles at Rookhaven',
    '9780000000088',
    ['Mystery'],
    'Detectives in training crack riddles at school.',
  ),
  // No level and no text: the LLM level estimate asks about it.
  { title: 'The Quiet Tern', isbn13: '9780000000095', authors: ['Catalogue Author'], subjects: ['Birds'] },
];

/** Students with strings nothing in the catalogue contains. */
const STUDENTS = [
  {
    name: 'Wilhelmina Quackenbush',
    grade: 4,
    age: 9,
    readingLevel: { value: '655L', system: 'lexile' as const },
    interests: ['zanzibar submarines', 'dragons'],
    notes: 'Confidential: xylophone allergy, sees counsellor Thursdays',
    history: ['Ember Wings', 'The Obsidian Lighthouse'],
  },
  {
    name: 'Bartholomew Zedd',
    grade: 4,
    age: 10,
    readingLevel: null,
    interests: ['quokka husbandry', 'space'],
    notes: 'Parents divorcing; prefers nickname Bartz',
    history: ['Copper Comet', 'Riddles at Rookhaven'],
  },
];
/** Strings that may never leave the device, in any request. */
const SECRET_STRINGS = [
  ...STUDENTS.flatMap((student) => [student.name, ...student.name.split(' '), student.notes]),
  'xylophone',
  'counsellor',
  'Bartz',
  'divorcing',
  'zanzibar',
  'submarines',
  'quokka',
  'husbandry',
  '655L',
  'Enjoys',
  'Because you liked',
  'Matches your interest',
  'at your level',
];

/** A capturing proxy in front of the real sync server: records every request, forwards it. */
function captureProxy(target: string): Promise<CaptureServer> {
  return startCapture((request, response) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization'])
      if (typeof request.headers[name] === 'string') headers[name] = request.headers[name] as string;
    void fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(request.raw ? { body: request.raw } : {}),
    }).then(async (answer) => {
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
}

let chat: CaptureServer;
let embeddings: CaptureServer;
let covers: CaptureServer;
let sync: CaptureServer;
let syncDb: ServerDb;
let schema: string;
let syncServer: RunningServer;
let hub: FakeHub;
let core: Core;
let savedKey: string | undefined;

beforeAll(async () => {
  savedKey = process.env[OPENAI_KEY_ENV];
  delete process.env[OPENAI_KEY_ENV];
  [chat, embeddings, covers] = await Promise.all([
    startCaptureServer({
      chatReply: (prompt) =>
        prompt.includes('"grade"') ? '{"grade": 3}' : 'A lively read about its subject.',
    }),
    startCaptureServer(),
    startCaptureServer(),
  ]);
  ({ db: syncDb, schema } = await openTestDb());
  syncServer = await serve(syncDb, { enrolLimit: { perMinute: 100, burst: 20 } });
  sync = await captureProxy(syncServer.url);
  hub = await startFakeHub({
    [HUB_MODEL]: {
      folder: join(bundledModelsDir(), BUNDLED_MODEL_ID),
      aliases: { 'onnx/model_quantized.onnx': 'onnx/model.onnx' },
    },
  });
  core = await open({ covers: { origin: covers.origin }, embedding: { remoteHost: hub.url } });
});

afterAll(async () => {
  await core?.close();
  await Promise.all([chat?.close(), embeddings?.close(), covers?.close(), sync?.close(), hub?.close()]);
  await syncServer?.close();
  await syncDb?.close();
  if (schema) await dropSchema(schema);
  if (savedKey !== undefined) process.env[OPENAI_KEY_ENV] = savedKey;
  cleanupDirs();
});

/** Every request's bytes (URL-decoded too, so an encoded name in a query string would show). */
function sent(server: CaptureServer): string {
  const text = server.everything();
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // not URL-encoded
  }
  return `${text}\n${decoded}`.toLowerCase();
}

describe('a classroom day with every network feature on', () => {
  it('sends catalogue data, ISBNs and pseudonyms only: no name, note, typed interest, level or history', async () => {
    // Morning: the teacher sets up the catalogue and turns everything on.
    const ids = value(await core.api.books.addMany({ books: CATALOGUE })).ids;
    const byTitle = new Map(CATALOGUE.map((entry, index) => [entry.title, ids[index] as string]));
    value(
      await core.api.settings.set({ key: 'embeddings.openai.baseUrl', value: `${embeddings.origin}/v1` }),
    );
    value(await core.api.models.setApiKey({ key: 'classroom-embed-key' }));
    value(await core.api.settings.set({ key: 'explanations.llm.baseUrl', value: `${chat.origin}/v1` }));
    value(await core.api.settings.set({ key: 'explanations.llm.model', value: 'local-test' }));
    value(await core.api.settings.set({ key: 'explanations.llm.enabled', value: true }));
    value(await core.api.settings.set({ key: 'covers.fromInternet', value: true }));
    const tenant = await createTenant(syncDb, 'Room 12');
    value(await core.api.sync.enroll({ serverUrl: sync.origin, code: tenant.code }));

    // The students, their histories, and a remote model for the whole library.
    const readers: { id: string; history: string[] }[] = [];
    for (const { history, ...student } of STUDENTS) {
      const reader = value(await core.api.readers.add(student));
      readers.push({ id: reader.id, history });
      for (const title of history) {
        value(
          await core.api.interactions.log({
            readerId: reader.id,
            bookId: byTitle.get(title)!,
            type: 'finish',
          }),
        );
        value(
          await core.api.interactions.log({
            readerId: reader.id,
            bookId: byTitle.get(title)!,
            type: 'rating',
            value: 5,
          }),
        );
      }
    }
    // A model download from the (fake) hub: only the model's name and files are asked for.
    value(await core.embedding.load(HUB_MODEL));
    expect(hub.requests.some((request) => request.repo === HUB_MODEL)).toBe(true);
    const switched = value(await core.api.models.use({ id: 'openai:test-embed' }));
    const job = await finishedJob(core, switched.job!.id);
    expect(job.state, job.lastError ?? '').toBe('succeeded');

    // The day: explained lists for every student (their covers shown), level estimates, sync.
    const chatBefore = new Map<string, [number, number]>();
    for (const reader of readers) {
      const start = chat.requests.length;
      const list = value(await core.api.recommend.get({ readerId: reader.id, k: 5, explain: true }));
      chatBefore.set(reader.id, [start, chat.requests.length]);
      expect(list.items.length).toBeGreaterThan(0);
      for (const item of list.items) {
        const isbn = CATALOGUE.find((entry) => entry.title === item.title)?.isbn13;
        if (isbn) await core.covers.file(isbn);
      }
      for (const title of reader.history)
        await core.covers.file(CATALOGUE.find((entry) => entry.title === title)!.isbn13!);
      if (list.items[0])
        value(
          await core.api.recommend.feedback({
            readerId: reader.id,
            bookId: list.items[0].bookId,
            kind: 'up',
          }),
        );
    }
    expect((await core.estimateLevels()).asked).toBeGreaterThan(0);
    value(await core.api.sync.push());
    value(await core.api.sync.pull());

    // Not vacuous: each destination received its catalogue part.
    const chatText = sent(chat);
    expect(chatText).toContain('book: ');
    expect(chatText).toContain('the quiet tern'); // the level estimate
    expect(chatText).toMatch(/it is about: [^\n]*(dragons|space)/); // a catalogue subject that matched
    const embedText = sent(embeddings);
    for (const entry of CATALOGUE) expect(embedText).toContain(entry.title.toLowerCase());
    expect(
      embeddings.requests.some((request) => request.headers.authorization === 'Bearer classroom-embed-key'),
    ).toBe(true);
    expect(covers.requests.length).toBeGreaterThan(0);
    for (const request of covers.requests)
      expect(request.url).toMatch(/^\/b\/isbn\/97[89]\d{10}-M\.jpg\?default=false$/);
    const syncText = sent(sync);
    expect(syncText).toContain('/v1/interactions');
    expect(syncText).toContain('9780000000026'); // an ISBN from a history

    // Nothing typed about a student, in any request to any destination.
    const hubText = hub.requests
      .map((request) => `${request.url}\n${JSON.stringify(request.headers)}`)
      .join('\n');
    const everything = [...[chat, embeddings, covers, sync].map(sent), hubText.toLowerCase()].join('\n');
    for (const secret of SECRET_STRINGS) expect(everything, secret).not.toContain(secret.toLowerCase());
    // History titles: never to covers or sync (ISBNs only), never in a student's own explanation prompts.
    for (const server of [covers, sync])
      for (const entry of CATALOGUE)
        expect(sent(server), entry.title).not.toContain(entry.title.toLowerCase());
    for (const reader of readers) {
      const [start, end] = chatBefore.get(reader.id)!;
      const prompts = chat.requests.slice(start, end).map((request) => request.raw.toLowerCase());
      expect(prompts.length).toBeGreaterThan(0);
      for (const title of reader.history)
        for (const prompt of prompts) expect(prompt, title).not.toContain(title.toLowerCase());
    }
    // Covers carry no cookie or referrer; nothing but the sync server ever gets the device token.
    for (const request of covers.requests) {
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.referer).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    }
    for (const request of chat.requests) expect(request.headers.authorization).toBeUndefined();
  });
});
