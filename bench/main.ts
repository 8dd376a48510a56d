/** Benchmark dispatcher: `npm run bench -- <name> [--json] [options]`. Each benchmark prints one JSON line. */
import { runAlsBench } from './als';
import { runCliBench } from './cli';
import { runCoreBench } from './core';
import { runDurabilityBench } from './durability';
import { runEaseBench } from './ease';
import { runEmbedBench } from './embed';
import { runEraseBench } from './erase';
import { runImportBench } from './import';
import { runParseBench } from './parse';
import { runServeBench } from './serve';
import { runSyncBench } from './sync';
import { runUiBench } from './ui';

const BENCHMARKS: Record<string, (args: string[]) => Promise<Record<string, unknown>>> = {
  als: runAlsBench,
  cli: runCliBench,
  core: runCoreBench,
  durability: runDurabilityBench,
  ease: runEaseBench,
  embed: runEmbedBench,
  erase: runEraseBench,
  import: runImportBench,
  parse: runParseBench,
  serve: runServeBench,
  sync: runSyncBench,
  ui: runUiBench,
};

/** Runs the benchmark named by `argv[0]`; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    process.stderr.write(
      `lumin bench: unknown benchmark '${name ?? ''}'; choose one of ${Object.keys(BENCHMARKS).join(', ')}\n`,
    );
    return 2;
  }
  const result = await bench(args);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
