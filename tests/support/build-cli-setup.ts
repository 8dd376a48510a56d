/**
 * vitest global setup: builds the `lumin` CLI bundle once, so every CLI test runs the fresh bundle
 * (skipped when the bundle is newer than every source it was built from, e.g. right after `npm ci`).
 */
import { buildCli, cliBundleIsFresh } from '../../scripts/build-cli';

export default async function setup(): Promise<void> {
  if (!cliBundleIsFresh()) await buildCli();
}
