/** `lumin sync enroll URL CODE`, `lumin sync push`, `lumin sync pull`, `lumin sync status`, `lumin sync rotate NAME`. */
import type { Command } from 'commander';
import type { LuminApi } from '../../shared/contract/api';
import type { Result } from '../../shared/contract/errors';
import type { SyncStatus } from '../../shared/sync/status';
import { json, table } from '../format';
import { type Output, type Run, expectOk, usage } from '../session';

function statusTable(status: SyncStatus): string {
  return table(
    ['', ''],
    [
      ['Sync', status.enabled ? 'on' : 'off'],
      ['Enrolled', status.enrolled ? `yes (tenant ${status.tenantId})` : 'no'],
      ['Server', status.serverUrl ?? '—'],
      ['Waiting to push', status.pending],
      ['Last push', status.lastPushAt ?? '—'],
      ['Last pull', status.lastPullAt ? `${status.lastPullAt} (version ${status.pulledVersion})` : '—'],
      ['Last error', status.lastError ? `${status.lastError} (${status.lastErrorAt})` : '—'],
    ],
    80,
  );
}

/** Registers the sync commands. */
export function registerSyncCommands(program: Command, _output: Output, run: Run): void {
  const sync = program
    .command('sync')
    .description('optional sync with a Lumin sync server (off until you enrol this device)');

  sync
    .command('enroll')
    .description('enrol this device with a server URL and the enrolment code from its administrator')
    .argument('<url>', 'the sync server, e.g. https://sync.example.org')
    .argument('<code>', 'the enrolment code, e.g. ABCD-EFGH-JKLM')
    .option('--name <name>', 'how the server lists this device')
    .option('--json', 'print the status as JSON')
    .action(async (url: string, code: string, options: { name?: string; json?: boolean }) => {
      if (!/^https?:\/\//.test(url)) usage(`'${url}' is not an http(s) URL`);
      await run(program.opts(), async (api) => {
        const status = expectOk(
          await api.sync.enroll({
            serverUrl: url,
            code,
            ...(options.name ? { deviceName: options.name } : {}),
          }),
        );
        return options.json
          ? json(status)
          : `Enrolled in tenant ${status.tenantId}; sync is on. ${status.pending} interactions waiting to push.`;
      });
    });

  /** `lumin sync NAME`: one call, printed as JSON with --json (`fields` says which) or as `text`. */
  const report = <T>(
    name: string,
    description: string,
    fields: string,
    call: (api: LuminApi) => Promise<Result<T>>,
    text: (value: T) => string,
  ) =>
    sync
      .command(name)
      .description(description)
      .option('--json', fields ? `print JSON: ${fields}` : 'print JSON')
      .action(async (options: { json?: boolean }) => {
        await run(program.opts(), async (api) => {
          const value = expectOk(await call(api));
          return options.json ? json(value) : text(value);
        });
      });

  report(
    'push',
    'push waiting interactions now (retries with backoff)',
    '{accepted, duplicates, batches, retries, remaining}',
    (api) => api.sync.push({}),
    (pushed) =>
      `Pushed ${pushed.accepted} new interactions (${pushed.duplicates} already on the server) in ${pushed.batches} requests.`,
  );

  report(
    'pull',
    'pull the newest batch recommendations from the server',
    '{version, unchanged, readers, stored, skipped}',
    (api) => api.sync.pull({}),
    (pulled) =>
      pulled.unchanged
        ? `Already up to date (version ${pulled.version}).`
        : `Stored version ${pulled.version}: ${pulled.stored} recommendations for ${pulled.readers} readers.`,
  );

  sync
    .command('rotate')
    .description('give a reader a new pseudonym; the server is asked to erase the old one')
    .argument('<reader>', 'name or id')
    .option('--json', 'print JSON: {readerId, eraseQueued, moved}')
    .action(async (reference: string, options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const reader = expectOk(await api.readers.resolve({ ref: reference }));
        const rotated = expectOk(await api.sync.rotate({ readerId: reader.id }));
        if (options.json) return json(rotated);
        return rotated.eraseQueued
          ? `${reader.name} has a new pseudonym; an erase of the old one waits in the outbox.`
          : `${reader.name} has a new pseudonym.`;
      });
    });

  report(
    'status',
    'whether sync is on, what waits, the last push, pull and error',
    '',
    (api) => api.sync.status({}),
    statusTable,
  );
}
