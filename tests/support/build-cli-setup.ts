/** vitest global setup: builds the `lumin` CLI bundle once, so every CLI test runs the fresh bundle. */
import { buildCli } from '../../scripts/build-cli';

export default async function setup(): Promise<void> {
  await buildCli();
}
