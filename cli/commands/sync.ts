/** `lumin sync enroll URL CODE`, `lumin sync push`, `lumin sync pull`, `lumin sync status`, `lumin sync rotate NAME`. */
import type { Command } from 'commander';
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

  sync
    .command('push')
    .description('push waiting interactions now (retries with backoff)')
    .option('--json', 'print JSON: {accepted, duplicates, batches, retries, remaining}')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const report = expectOk(await api.sync.push({}));
        return options.json
          ? json(report)
          : `Pushed ${report.accepted} new interactions (${report.duplicates} already on the server) in ${report.batches} requests.`;
      });
    });

  sync
    .command('pull')
    .description('pull the newest batch recommendations from the server')
    .option('--json', 'print JSON: {version, unchanged, readers, stored, skipped}')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const report = expectOk(await api.sync.pull({}));
        if (options.json) return json(report);
        return report.unchanged
          ? `Already up to date (version ${report.version}).`
          : `Stored version ${report.version}: ${report.stored} recommendations for ${report.readers} readers.`;
      });
    });

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

  sync
    .command('status')
    .description('whether sync is on, what waits, the last push, pull and error')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const status = expectOk(await api.sync.status({}));
        return options.json ? json(status) : statusTable(status);
      });
    });
}
