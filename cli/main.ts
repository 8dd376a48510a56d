/**
 * The `lumin` command line: a thin host over the core. Every command opens the core on the data
 * directory, makes contract calls, prints, and exits non-zero with one line on stderr on failure.
 */
import { Command, CommanderError } from 'commander';
import { defaultDataDir } from '../workers/host/paths';
import { registerBookCommands } from './commands/books';
import { registerEmbedCommands } from './commands/embed';
import { registerRecommendCommands } from './commands/recommend';
import { registerImportCommands } from './commands/imports';
import { registerMiscCommands } from './commands/misc';
import { registerMlCommands } from './commands/ml';
import { registerReaderCommands } from './commands/readers';
import { registerSyncCommands } from './commands/sync';
import { registerUnlockCommand } from './commands/unlock';
import {
  CommandFailure,
  EXIT_CODES,
  type GlobalOptions,
  type Output,
  exitCodeFor,
  withCore,
} from './session';

const standardOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: string[], output: Output = standardOutput): Promise<number> {
  let exitCode = 0;
  const program = new Command('lumin')
    .description('Lumin: local-first reading recommendations for teachers and readers')
    .option(
      '--data-dir <dir>',
      `data directory (env LUMIN_DATA_DIR; default ${defaultDataDir()})`,
      process.env.LUMIN_DATA_DIR || undefined,
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      // Commander's own errors ("unknown option", "missing argument") become the one-line form.
      writeErr: (text) => output.err(`lumin: ${text.replace(/^error: /, '').trim()}`),
    })
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, ${EXIT_CODES.usage} bad usage or input, ${EXIT_CODES.not_found} not found or ambiguous, ` +
        `${EXIT_CODES.conflict} conflict, ${EXIT_CODES.locked} data directory in use, ${EXIT_CODES.failure} other failure.`,
    );
  const run = async (
    globals: GlobalOptions,
    body: Parameters<typeof withCore>[2],
    options?: { afterWrite?: boolean },
  ) => {
    exitCode = await withCore(globals, output, body, options);
  };
  registerReaderCommands(program, output, run);
  registerBookCommands(program, run);
  registerMiscCommands(program, output, run, (code) => (exitCode = code));
  registerImportCommands(program, output, run);
  registerMlCommands(program, output);
  registerEmbedCommands(program, output, run);
  registerRecommendCommands(program, output, run);
  registerSyncCommands(program, output, run);
  registerUnlockCommand(program, output);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
    for (const sub of command.commands) sub.exitOverride().configureOutput(program.configureOutput());
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0.
      return error.exitCode === 0 ? 0 : EXIT_CODES.usage;
    }
    if (error instanceof CommandFailure) {
      output.err(`lumin: ${error.message}`);
      return exitCodeFor(error.error);
    }
    output.err(`lumin: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return EXIT_CODES.failure;
  }
  return exitCode;
}
