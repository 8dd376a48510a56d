/**
 * `npm run server -- <command>`: `serve` (the default) and the admin subcommands (commander, like
 * `lumin`). Each admin command takes `--json`. With PostgreSQL (DATABASE_URL) the command runs here
 * against the same database as the servers; with embedded PGlite it runs here only when no server
 * holds the data directory, and otherwise goes through that server's loopback admin endpoint, so the
 * embedded database never has two writers. Exit codes: 0 ok, 2 bad usage or input, 3 not found,
 * 5 data directory in use and unreachable, 1 other failure.
 */
import { Command, CommanderError } from 'commander';
import { LuminFailure } from '../shared/contract/errors';
import { type AdminCommand, AdminError, runAdmin } from './admin';
import { callAdminEndpoint, readAdminEndpoint } from './admin-http';
import { type ServerConfig, configFromEnv, nightlyRunner, openConfiguredDb, serve } from './start';
import { runServerNightly } from './nightly';

/** Where a command's output goes (tests pass their own). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const standard: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs one admin command where it may run (see the module comment). */
export async function executeAdmin(
  config: ServerConfig,
  command: AdminCommand,
  args: Record<string, unknown>,
): Promise<unknown> {
  let opened;
  try {
    opened = await openConfiguredDb(config, `lumin-server ${command}`);
  } catch (error) {
    if (!(error instanceof LuminFailure) || error.code !== 'locked') throw error;
    const endpoint = readAdminEndpoint(config.dataDir);
    if (!endpoint)
      throw new LuminFailure(
        'locked',
        `${error.message}; it has no admin endpoint (${config.dataDir}/admin.json): stop it, then run this again`,
      );
    try {
      return await callAdminEndpoint(endpoint, command, args);
    } catch (caught) {
      if (caught instanceof AdminError) throw caught;
      throw new LuminFailure(
        'locked',
        `${error.message}; its admin endpoint ${endpoint.url} did not answer (${(caught as Error).message})`,
      );
    }
  }
  try {
    // Here (not in a serving process) the job may use this thread; PostgreSQL's advisory lock
    // still keeps it to one run across instances.
    const nightly = config.databaseUrl
      ? () => runServerNightly(opened.db, config.archiveDir, { kAnonymity: config.kAnonymity })
      : nightlyRunner(config, opened.db);
    return await runAdmin({ db: opened.db, archiveDir: config.archiveDir, nightly }, command, args);
  } finally {
    await opened.close();
  }
}

function human(command: AdminCommand, result: unknown): string {
  if (command === 'tenant add') {
    const tenant = result as { id: string; name: string; code: string; uses: number; expiresAt: string };
    return `tenant '${tenant.name}' ${tenant.id} created; enrolment code ${tenant.code} (shown once; ${tenant.uses} uses, until ${tenant.expiresAt})`;
  }
  if (command === 'codes add') {
    const code = result as { code: string; uses: number; expiresAt: string };
    return `enrolment code ${code.code} (shown once; ${code.uses} uses, until ${code.expiresAt})`;
  }
  if (Array.isArray(result))
    return result.length === 0
      ? '(none)'
      : result.map((row) => Object.values(row as object).join('\t')).join('\n');
  return JSON.stringify(result);
}

const EXIT = { usage: 2, not_found: 3, locked: 5, failure: 1 } as const;

/** Runs the CLI; resolves to the exit code (`serve` resolves once listening, with 0). */
export async function main(argv: string[], output: CliOutput = standard): Promise<number> {
  let exitCode = 0;
  const program = new Command('lumin-server')
    .description('The Lumin sync server and its administration')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(`lumin-server: ${text.replace(/^error: /, '').trim()}`),
    });
  const admin =
    (command: AdminCommand, args: Record<string, unknown>, json: boolean | undefined) => async () => {
      try {
        const result = await executeAdmin(configFromEnv(), command, args);
        output.out(json ? JSON.stringify(result) : human(command, result));
      } catch (error) {
        const code =
          error instanceof AdminError
            ? error.code === 'not_found'
              ? EXIT.not_found
              : EXIT.usage
            : error instanceof LuminFailure && error.code === 'locked'
              ? EXIT.locked
              : error instanceof RangeError
                ? EXIT.usage
                : EXIT.failure;
        output.err(`lumin-server: ${command}: ${(error as Error).message}`);
        exitCode = code;
      }
    };
  const json = (command: Command) => command.option('--json', 'print JSON');
  const limits = (command: Command) =>
    command
      .option('--uses <n>', 'devices the code may enrol', '30')
      .option('--expires <duration>', 'how long the code works (30m, 12h, 7d, 2w)', '7d');

  program
    .command('serve', { isDefault: true })
    .description('serve devices (PORT, HOST, DATABASE_URL, … see the README)')
    .action(async () => {
      const server = await serve(configFromEnv());
      output.out(`lumin sync server listening on ${server.url} (${server.db.kind})`);
      const stop = () => void server.close().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  const tenant = program.command('tenant').description('tenants (a school or a class)');
  limits(
    json(tenant.command('add <name...>').description('create a tenant and its first enrolment code')),
  ).action((name: string[], options: { json?: boolean; uses: string; expires: string }) =>
    admin(
      'tenant add',
      { name: name.join(' '), uses: options.uses, expires: options.expires },
      options.json,
    )(),
  );
  json(tenant.command('list').description('list tenants')).action((options: { json?: boolean }) =>
    admin('tenant list', {}, options.json)(),
  );

  const codes = program.command('codes').description('enrolment codes');
  limits(
    json(
      codes.command('add').description('a new enrolment code').requiredOption('--tenant <id>', 'tenant id'),
    ),
  ).action((options: { json?: boolean; tenant: string; uses: string; expires: string }) =>
    admin(
      'codes add',
      { tenant: options.tenant, uses: options.uses, expires: options.expires },
      options.json,
    )(),
  );
  json(
    codes.command('list').description("a tenant's codes").requiredOption('--tenant <id>', 'tenant id'),
  ).action((options: { json?: boolean; tenant: string }) =>
    admin('codes list', { tenant: options.tenant }, options.json)(),
  );
  json(codes.command('revoke <code>').description('revoke a code (the code or its id)')).action(
    (code: string, options: { json?: boolean }) => admin('codes revoke', { code }, options.json)(),
  );

  const devices = program.command('devices').description('enrolled devices');
  json(
    devices.command('list').description("a tenant's devices").requiredOption('--tenant <id>', 'tenant id'),
  ).action((options: { json?: boolean; tenant: string }) =>
    admin('devices list', { tenant: options.tenant }, options.json)(),
  );
  json(devices.command('revoke <device>').description("revoke a device's token at once")).action(
    (device: string, options: { json?: boolean }) => admin('devices revoke', { device }, options.json)(),
  );

  json(
    program.command('erase <pseudonym>').description("erase a pseudonym's rows, lists and archive records"),
  ).action((pseudonym: string, options: { json?: boolean }) => admin('erase', { pseudonym }, options.json)());
  json(
    program.command('nightly').description('archive, train and publish lists (one instance at a time)'),
  ).action((options: { json?: boolean }) => admin('nightly', {}, options.json)());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    output.err(`lumin-server: ${(error as Error).message}`);
    return error instanceof RangeError ? EXIT.usage : EXIT.failure;
  }
  return exitCode;
}
