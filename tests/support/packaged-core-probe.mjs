// Starts the core from a packaged app's layout under plain Node (no tsx, no Electron):
//   node packaged-core-probe.mjs RESOURCES_DIR DATA_DIR
// RESOURCES_DIR holds `app.asar` (extracted to a folder of that name) and `app.asar.unpacked`, as
// electron-builder lays them out. Prints one JSON line: how the cluster was made, where the bundled
// model was read from, how many vectors it made and the served list.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [resources, dataDir] = process.argv.slice(2);
process.resourcesPath = resources;
const { openCore } = await import(pathToFileURL(join(resources, 'app.asar', 'out', 'main', 'core.js')).href);

const value = (result) => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};
const core = value(await openCore({ dataDir, autoBackup: false, purpose: 'packaged-layout-test' }));
try {
  const books = [
    ['The Dragon Atlas', 'Dragons, maps and a long journey over the mountains to the sea.'],
    ['Stars Over Mars', 'A young astronaut grows plants on Mars and learns to fix rovers.'],
    ['The Quiet Garden', 'A gardener and her cat tend roses through one summer in the city.'],
  ].map(([title, description]) => ({ title, description, authors: ['A. Writer'], subjects: ['Fiction'] }));
  value(await core.api.books.addMany({ books }));
  const reader = value(
    await core.api.readers.add({ name: 'Probe', kind: 'self', interests: ['dragons', 'space'] }),
  );
  const job = value(await core.api.embeddings.run());
  const deadline = Date.now() + 120_000;
  let state = job.state;
  while (!['succeeded', 'failed', 'cancelled'].includes(state) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ({ state } = value(await core.api.jobs.get({ id: job.id })));
  }
  const status = value(await core.api.embeddings.status());
  const list = value(await core.api.recommend.get({ readerId: reader.id, k: 3 }));
  process.stdout.write(
    `${JSON.stringify({ created: core.opened.created, job: state, status, items: list.items.map((item) => item.title) })}\n`,
  );
} finally {
  await core.close();
}
