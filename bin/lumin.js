#!/usr/bin/env node
// The `lumin` command. Runs the TypeScript CLI through tsx, so the CLI and the core's workers always
// run the same source the tests check.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
