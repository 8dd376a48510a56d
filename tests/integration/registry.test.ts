/**
 * The core routes every public operation of the registry (table-driven over the declaration), refuses
 * the internal ones from a host, and hangs side effects on events: `jobs.run` announces `job.queued`,
 * which wakes the db worker's job runner and, for `enrich`, the host's LLM enrichment.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type MethodName, OPERATION_NAMES, OPERATIONS } from '../../shared/contract/methods';
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import { chatCompletion } from '../support/capture-server';
import { migrationsDir } from '../../workers/db/layout';
import { createDbService } from '../../workers/db/service';
import { cleanupDirs, failure, finishedJob, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

const missing = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';

/** A valid input for every public operation (the type makes a new operation a compile error here). */
function samples(dir: string): Record<MethodName, unknown> {
  return {
    'status.get': undefined,
    'status.ping': undefined,
    'books.add': { title: 'Routed' },
    'books.addMany': { books: [{ title: 'Routed Too' }] },
    'books.get': { id: missing },
    'books.resolve': { ref: 'Routed' },
    'books.list': undefined,
    'books.update': { id: missing, patch: { title: 'Renamed' } },
    'books.remove': { id: missing },
    'classes.add': { name: 'Routing Class' },
    'classes.list': undefined,
    'classes.update': { id: missing, patch: { name: 'Renamed' } },
    'classes.remove': { id: missing },
    'readers.add': { name: 'Routed Reader' },
    'readers.get': { id: missing },
    'readers.resolve': { ref: 'Routed Reader' },
    'readers.list': undefined,
    'readers.update': { id: missing, patch: { name: 'Renamed' } },
    'readers.remove': { id: missing },
    'readers.export': { id: missing },
    'interactions.log': { readerId: missing, bookId: other, type: 'checkout' },
    'interactions.list': undefined,
    'settings.get': { key: 'backup.keep' },
    'settings.set': { key: 'backup.keep', value: 7 },
    'settings.list': undefined,
    'jobs.list': undefined,
    'jobs.get': { id: missing },
    'jobs.cancel': { id: missing },
    'jobs.pause': { id: missing },
    'jobs.resume': { id: missing },
    'jobs.run': { kind: 'enrich' },
    'backup.create': { out: join(dir, 'routed.tar.gz') },
    'backup.list': undefined,
    'imports.preview': { path: join(dir, 'missing.csv') },
    'imports.commit': { previewId: missing },
    'imports.cancel': { previewId: missing },
    'imports.export': { readerId: missing, format: 'goodreads', out: join(dir, 'shelves.csv') },
    'embeddings.status': undefined,
    'embeddings.similar': { id: missing },
    'recommend.group': { readerIds: [missing, other] },
    'recommend.feedback': { readerId: missing, bookId: other, kind: 'up' },
    'stats.get': undefined,
    'analytics.activity': undefined,
    'analytics.levels': undefined,
    'sync.rotate': { readerId: missing },
    'models.setApiKey': { key: null, baseUrl: 'http://127.0.0.1:9/v1' },
    'models.list': undefined,
    'models.use': { id: BUNDLED_MODEL_ID },
    'embeddings.run': undefined,
    'recommend.get': { readerId: missing },
    'sync.enroll': { serverUrl: 'http://127.0.0.1:9', code: 'abcdef' },
    'sync.push': undefined,
    'sync.pull': undefined,
    'sync.status': undefined,
    'privacy.get': undefined,
  };
}

describe('routing from the registry', () => {
  it('answers every public operation from its handler (a value or an expected failure, never a routing one)', async () => {
    const core = await open();
    try {
      const inputs = samples(tempDir());
      for (const method of METHOD_NAMES) {
        const result = await core.invoke(method, inputs[method]);
        if (result.ok) continue;
        // Reaching the handler: not unknown, not refused, not a crash, and the input was valid.
        expect([method, result.error.code]).not.toEqual([method, 'unknown_method']);
        expect([method, result.error.code]).not.toEqual([method, 'internal']);
        expect([method, result.error.code]).not.toEqual([method, 'invalid_argument']);
        expect(result.error.message, method).not.toContain('is internal to the Lumin core');
      }
    } finally {
      await core.close();
    }
  });

  it('refuses every internal operation from a host, naming it', async () => {
    const core = await open();
    try {
      const internal = OPERATION_NAMES.filter((name) => OPERATIONS[name].access === 'internal');
      expect(internal).toContain('syncStore.state');
      for (const name of internal) {
        // Hosts can only name it as a string (the typed API has no such member).
        const error = failure(await core.invoke(name as MethodName, undefined));
        expect(error.code).toBe('forbidden');
        expect(error.message).toContain(`'${name}' is internal to the Lumin core: hosts cannot call it`);
      }
      // Nothing ran: the sync state was never read, so no device key was made.
      expect(value(await core.api.sync.status()).enrolled).toBe(false);
    } finally {
      await core.close();
    }
  });
});

describe('side effects on events', () => {
  it('jobs.run announces job.queued: the db worker runs the job and the host asks the LLM', async () => {
    const prompts: string[] = [];
    const server: Server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        prompts.push(body);
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(chatCompletion('{"grade": 4}')));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const core = await open();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      value(await core.api.settings.set({ key: 'explanations.llm.baseUrl', value: url }));
      value(await core.api.settings.set({ key: 'explanations.llm.model', value: 'local-test' }));
      value(await core.api.settings.set({ key: 'explanations.llm.enabled', value: true }));
      const book = value(await core.api.books.add({ title: 'Evented Book' }));
      const queued: string[] = [];
      core.on('job.progress', (progress) => queued.push(`${progress.kind}:${progress.state}`));

      const job = value(await core.api.jobs.run({ kind: 'enrich' }));
      expect(job.state).toBe('queued');
      // The job runner woke on the event: the enrich job runs to the end without another call.
      expect((await finishedJob(core, job.id)).state).toBe('succeeded');
      expect(queued).toContain('enrich:succeeded');
      // The host's subscriber asked the chat endpoint about the book and stored the estimate.
      const deadline = Date.now() + 30_000;
      let level = value(await core.api.books.get({ id: book.id })).readingLevel;
      while (!level && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        level = value(await core.api.books.get({ id: book.id })).readingLevel;
      }
      expect(level).toEqual({ value: '4', system: 'grade', source: 'estimated' });
      expect(prompts.some((prompt) => prompt.includes('Evented Book'))).toBe(true);
    } finally {
      await core.close();
      server.close();
    }
  });
});

describe('the db worker hangs its side effects on events', () => {
  it('jobs.run emits job.queued, and the job runner, subscribed to it, runs the job', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const service = createDbService((event, payload) => events.push({ event, payload }));
    value(
      await service.open({
        dataDir: tempDir(),
        appVersion: 'test',
        migrationsDir: migrationsDir(),
        servingMemory: false,
      }),
    );
    try {
      const job = value(await service.call('jobs.run', { kind: 'enrich' }));
      expect(events).toContainEqual({ event: 'job.queued', payload: { id: job.id, kind: 'enrich' } });
      // The next call in the queue finds the job finished: the runner queued it right behind jobs.run.
      const after = value(await service.call('jobs.get', { id: job.id }));
      expect(after.state).toBe('succeeded');
      expect(events.map(({ event }) => event)).toContain('job.progress');
    } finally {
      await service.close();
    }
  });
});
