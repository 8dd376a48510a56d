/**
 * Runs one CLI command against the core: opens it on the chosen data directory, turns expected
 * failures into a one-line message on stderr and an exit code, and always closes the core.
 */
import type { LuminApi } from '../shared/contract/api';
import { type ErrorCode, type LuminErrorShape, type Result, luminError } from '../shared/contract/errors';
import { type Core, openCore } from '../workers/host/core';
import { defaultDataDir } from '../workers/host/paths';

/** Exit codes by error code; documented in `lumin --help`. */
export const EXIT_CODES: Partial<Record<ErrorCode, number>> & { usage: number; failure: number } = {
  usage: 2,
  failure: 1,
  invalid_argument: 2,
  unknown_method: 2,
  not_found: 3,
  ambiguous: 3,
  conflict: 4,
  locked: 5,
  migration_failed: 6,
};

/** Where the CLI writes. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** A failure that ends the command with its message. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(readonly error: LuminErrorShape) {
    super(error.message);
  }
}

/** The value of a result, or a `CommandFailure` that ends the command. */
export function expectOk<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new CommandFailure(result.error);
}

/** Ends the command with a usage error. */
export function usage(message: string): never {
  throw new CommandFailure(luminError('invalid_argument', message));
}

/** Global options every command accepts. */
export interface GlobalOptions {
  dataDir?: string;
}

/** The exit code for a failure. */
export function exitCodeFor(error: LuminErrorShape): number {
  return EXIT_CODES[error.code] ?? EXIT_CODES.failure;
}

/**
 * Opens the core, runs `body`, prints what it returns, closes the core. Returns the exit code.
 * `afterWrite` runs the daily automatic-backup check once the output is printed (at most once a day
 * it takes a snapshot), so a library kept only through the CLI is backed up too.
 */
export async function withCore(
  globals: GlobalOptions,
  output: Output,
  body: (api: LuminApi, dataDir: string, core: Core) => Promise<string | null>,
  options: { afterWrite?: boolean } = {},
): Promise<number> {
  const dataDir = globals.dataDir ?? defaultDataDir();
  // One command, then exit: loading the serving memory would only compete with the command itself.
  const opened = await openCore({ dataDir, autoBackup: false, purpose: 'cli', servingMemory: false });
  if (!opened.ok) {
    output.err(`lumin: ${opened.error.message}`);
    return exitCodeFor(opened.error);
  }
  const core = opened.value;
  try {
    const text = await body(core.api, core.dataDir, core);
    if (text !== null) output.out(text);
    if (options.afterWrite) await core.checkAutoBackup();
    return 0;
  } catch (error) {
    if (error instanceof CommandFailure) {
      output.err(`lumin: ${error.error.message}`);
      return exitCodeFor(error.error);
    }
    throw error;
  } finally {
    await core.close();
  }
}

/** Runs a command body with the core (bound to the program's exit code by cli/main.ts). */
export type Run = (
  globals: GlobalOptions,
  body: Parameters<typeof withCore>[2],
  options?: { afterWrite?: boolean },
) => Promise<void>;
