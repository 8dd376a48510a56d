/** `lumin status`, `log`, `backup`, `restore`, `settings`, `jobs`. */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { INTERACTION_TYPES, type InteractionType } from '../../shared/contract/domain';
import { SETTING_KEYS } from '../../shared/contract/settings';
import { restoreBackup } from '../../workers/host/core';
import { json, table } from '../format';
import { registerJobCommands } from './recommend';
import { type GlobalOptions, type Output, type Run, exitCodeFor, expectOk, usage } from '../session';

function parseSettingValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // a bare word such as `reader` is a string
  }
}

/** Registers the remaining commands. */
export function registerMiscCommands(
  program: Command,
  output: Output,
  run: Run,
  setExit: (code: number) => void,
): void {
  program
    .command('status')
    .description('schema version and counts of books, readers, interactions and embeddings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const status = expectOk(await api.status.get());
        if (options.json) return json(status);
        const { counts } = status;
        return [
          `Lumin ${status.appVersion}`,
          `Data:          ${status.dataDir}`,
          `Schema:        version ${status.schemaVersion}`,
          `Books:         ${counts.books}`,
          `Readers:       ${counts.readers} in ${counts.classes} classes`,
          `Interactions:  ${counts.interactions}`,
          `Embeddings:    ${counts.embeddings}`,
          `Pending jobs:  ${counts.jobsPending}`,
          `Last backup:   ${status.lastBackupAt ?? 'never'}`,
          // A CLI run is short: the memory is loading, not missing (the app keeps it).
          status.serving.loading
            ? `Serving:       ${status.serving.warm ? 'warm' : 'loading'} (${status.serving.books} books, ${status.serving.vectors} vectors, ${status.serving.readers} readers in memory)`
            : 'Serving:       from the database (the app keeps a serving memory; a command does not load it)',
        ].join('\n');
      });
    });

  program
    .command('log')
    .description(`record that a reader interacted with a book (${INTERACTION_TYPES.join(', ')})`)
    .argument('<reader>', 'reader name or id')
    .argument('<book>', 'book id, ISBN or exact title')
    .argument('<type>', 'interaction type')
    .option('--value <n>', 'a value, e.g. the rating from 0.5 to 5')
    .option('--json', 'print the interaction as JSON')
    .action(
      async (
        readerRef: string,
        bookRef: string,
        type: string,
        options: { value?: string; json?: boolean },
      ) => {
        await run(
          program.opts(),
          async (api) => {
            if (!(INTERACTION_TYPES as readonly string[]).includes(type))
              usage(`'${type}' is not an interaction type; use one of ${INTERACTION_TYPES.join(', ')}`);
            const value = options.value === undefined ? undefined : Number(options.value);
            if (value !== undefined && !Number.isFinite(value))
              usage(`--value: '${options.value}' is not a number`);
            const reader = expectOk(await api.readers.resolve({ ref: readerRef }));
            const book = expectOk(await api.books.resolve({ ref: bookRef }));
            const interaction = expectOk(
              await api.interactions.log({
                id: randomUUID(),
                readerId: reader.id,
                bookId: book.id,
                type: type as InteractionType,
                value,
              }),
            );
            return options.json ? json(interaction) : `Logged ${type} of "${book.title}" for ${reader.name}`;
          },
          { afterWrite: true },
        );
      },
    );

  program
    .command('backup')
    .description('write a consistent snapshot of the library (atomically: temp file, then rename)')
    .option('--out <file>', 'where to write it (default: the backups folder of the data directory)')
    .option('--json', 'print JSON')
    .action(async (options: { out?: string; json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const info = expectOk(await api.backup.create(options.out ? { out: options.out } : {}));
        return options.json
          ? json(info)
          : `Backup written to ${info.path} (${(info.bytes / 1e6).toFixed(1)} MB)`;
      });
    });

  program
    .command('restore')
    .description(
      'restore a backup into a data directory that is not in use; the current database is kept aside',
    )
    .argument('<file>', 'a backup written by `lumin backup`')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      if (!globals.dataDir)
        usage(
          'restore needs --data-dir DIR (or LUMIN_DATA_DIR), so it never overwrites a library by accident',
        );
      const report = await restoreBackup(file, globals.dataDir);
      if (!report.ok) {
        output.err(`lumin: ${report.error.message}`);
        setExit(exitCodeFor(report.error));
        return;
      }
      const value = report.value;
      output.out(
        options.json
          ? json(value)
          : `Restored ${value.counts.books} books, ${value.counts.readers} readers and ${value.counts.interactions} interactions into ${value.dataDir}` +
              (value.previousMovedTo ? `\nThe previous database was kept at ${value.previousMovedTo}` : ''),
      );
    });

  const settings = program.command('settings').description(`settings (${SETTING_KEYS.join(', ')})`);
  settings
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const values = expectOk(await api.settings.list());
        return options.json
          ? json(values)
          : table(
              ['KEY', 'VALUE'],
              Object.entries(values).map(([key, value]) => [key, JSON.stringify(value)]),
            );
      });
    });
  settings
    .command('set')
    .argument('<key>')
    .argument('<value>', 'JSON or a bare word')
    .action(async (key: string, raw: string) => {
      await run(program.opts(), async (api) => {
        const set = expectOk(await api.settings.set({ key, value: parseSettingValue(raw) }));
        return `${set.key} = ${JSON.stringify(set.value)}`;
      });
    });

  const jobs = program
    .command('jobs')
    .description('background jobs: list them, or run, pause, resume, cancel one')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const page = expectOk(await api.jobs.list({ limit: 50 }));
        if (options.json) return json(page.items);
        return page.total === 0
          ? 'No jobs.'
          : table(
              ['ID', 'KIND', 'STATE', 'PROGRESS', 'ERROR'],
              page.items.map((job) => [
                job.id,
                job.kind,
                job.state,
                `${Math.round(job.progress * 100)}%`,
                job.lastError,
              ]),
            );
      });
    });
  registerJobCommands(jobs, program, run);
}
