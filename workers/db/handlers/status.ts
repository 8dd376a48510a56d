/** Status, ping and backups. */
import type { HandlerSlice } from './types';
import { pathArgument } from './file-argument';
import { listBackups } from '../backup';
import { schemaVersion } from '../migrate';

export const statusHandlers = {
  async 'status.get'(_input, context) {
    const counts = await context.db.query<{
      books: number;
      readers: number;
      classes: number;
      interactions: number;
      embeddings: number;
      jobs_pending: number;
    }>(
      `SELECT (SELECT count(*)::int FROM books) AS books,
              (SELECT count(*)::int FROM readers) AS readers,
              (SELECT count(*)::int FROM classes) AS classes,
              (SELECT count(*)::int FROM interactions) AS interactions,
              (SELECT count(*)::int FROM embeddings) AS embeddings,
              (SELECT count(*)::int FROM jobs WHERE state IN ('queued','running','paused')) AS jobs_pending`,
    );
    const row = counts.rows[0] ?? {
      books: 0,
      readers: 0,
      classes: 0,
      interactions: 0,
      embeddings: 0,
      jobs_pending: 0,
    };
    return {
      appVersion: context.appVersion,
      dataDir: context.dataDir,
      schemaVersion: await schemaVersion(context.db),
      counts: {
        books: row.books,
        readers: row.readers,
        classes: row.classes,
        interactions: row.interactions,
        embeddings: row.embeddings,
        jobsPending: row.jobs_pending,
      },
      lastBackupAt: listBackups(context.dataDir)[0]?.createdAt ?? null,
      serving: context.recommend.memory.held,
    };
  },

  async 'status.ping'() {
    return { pong: true as const, at: Date.now() };
  },
} satisfies HandlerSlice<'status'>;

export const backupHandlers = {
  async 'backup.create'(input, context) {
    return context.snapshot(pathArgument('backup.create', input, 'out', 'target'));
  },
  async 'backup.list'(_input, context) {
    return listBackups(context.dataDir).map(({ auto: _auto, ...info }) => info);
  },
} satisfies HandlerSlice<'backup'>;
