#!/usr/bin/env node
// `npm run bench -- NAME [options]`: benchmarks and offline evaluations, each printing one JSON line.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
process.exitCode = await main(process.argv.slice(2));
