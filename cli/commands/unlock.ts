/** `lumin unlock --force`: clears a data directory's lock that no process here can judge stale. */
import type { Command } from 'commander';
import { forceUnlock, lockOwner } from '../../workers/host/unlock';
import { defaultDataDir } from '../../workers/host/paths';
import { type GlobalOptions, type Output, usage } from '../session';

/** Registers `lumin unlock`. */
export function registerUnlockCommand(program: Command, output: Output): void {
  program
    .command('unlock')
    .description(
      "remove the data directory's lock left by another machine (shared drive); only when no Lumin uses it",
    )
    .option('--force', 'remove the lock whoever holds it')
    .action((options: { force?: boolean }) => {
      const dataDir = program.opts<GlobalOptions>().dataDir ?? defaultDataDir();
      const owner = lockOwner(dataDir);
      if (owner === null) {
        output.out(`${dataDir} is not locked`);
        return;
      }
      const holder = `process ${owner.pid} on host ${owner.host || 'unknown'} (${owner.purpose || 'lumin'}, since ${owner.startedAt})`;
      if (!options.force)
        usage(
          `${dataDir} is locked by ${holder}; if no Lumin on that machine uses it any more, run \`lumin unlock --force\``,
        );
      // Two Lumins on one database silently lose committed rows: say so every time.
      output.err(
        `lumin: warning: removing the lock of ${holder}. If that Lumin is still running, both will write ` +
          `to ${dataDir} and committed changes can be lost. Close it first.`,
      );
      forceUnlock(dataDir);
      output.out(`removed the lock on ${dataDir}`);
    });
}
