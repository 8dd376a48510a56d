/** `lumin embed`, `lumin models list|use|key`, `lumin similar`: content embeddings from the command line. */
import type { Command } from 'commander';
import type { Job } from '../../shared/contract/domain';
import type { EmbeddingModelInfo } from '../../shared/contract/embeddings';
import { luminError } from '../../shared/contract/errors';
import type { Core } from '../../workers/host/core';
import { json, table } from '../format';
import { CommandFailure, type Output, type Run, expectOk, usage } from '../session';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Waits for job `id` to finish, printing progress to stderr, and fails the command unless it
 * succeeded. Ctrl-C closes the core: the pass goes back to the queue and resumes next time.
 */
async function waitForJob(core: Core, id: string, output: Output, quiet: boolean): Promise<Job> {
  let lastShown = -1;
  const done = new Promise<Job>((resolve, reject) => {
    const check = async () => {
      const job = await core.api.jobs.get({ id });
      if (!job.ok) {
        stop();
        reject(new CommandFailure(job.error));
      } else if (FINISHED.has(job.value.state)) {
        stop();
        resolve(job.value);
      }
    };
    const unsubscribe = core.on('job.progress', (progress) => {
      if (progress.id !== id) return;
      const percent = Math.floor(progress.progress * 100);
      if (!quiet && percent !== lastShown && progress.message) {
        lastShown = percent;
        output.err(`${percent}% ${progress.message}`);
      }
      if (FINISHED.has(progress.state)) void check();
    });
    // Events can be missed between queueing and subscribing; a slow poll closes that gap.
    const timer = setInterval(() => void check(), 1_000);
    const stop = () => {
      unsubscribe();
      clearInterval(timer);
    };
    void check();
  });
  const job = await done;
  if (job.state !== 'succeeded')
    throw new CommandFailure(
      luminError(
        job.state === 'cancelled' ? 'cancelled' : 'io',
        `embedding ${job.state}: ${job.lastError ?? 'no reason given'}`,
        {
          jobId: id,
        },
      ),
    );
  return job;
}

function modelsTable(models: EmbeddingModelInfo[]): string {
  return table(
    ['', 'Model', 'Dim', 'State', 'Books', 'Readers', 'Tags'],
    models.map((model) => [
      model.active ? '*' : model.switching ? '→' : '',
      model.id,
      model.dimension,
      model.availability,
      model.vectors.books,
      model.vectors.readers,
      model.vectors.tags,
    ]),
    60,
  );
}

/** Registers the embedding commands. */
export function registerEmbedCommands(program: Command, output: Output, run: Run): void {
  program
    .command('embed')
    .description('embed new and changed books, reader profiles and tags (a durable background job)')
    .option('--model <id>', 'embed with this model instead of the active one (does not switch)')
    .option('--wait', 'wait for the pass to finish, showing progress')
    .option('--json', 'print JSON')
    .action(async (options: { model?: string; wait?: boolean; json?: boolean }) => {
      await run(program.opts(), async (api, _dataDir, core) => {
        const queued = expectOk(
          await api.embeddings.run(options.model ? { model: options.model } : undefined),
        );
        // Without --wait the CLI still finishes the pass: a one-shot process has no background.
        const job = await waitForJob(core, queued.id, output, options.json === true || !options.wait);
        const status = expectOk(await api.embeddings.status());
        if (options.json) return json({ job, status });
        return `Embedded with ${String(job.payload.model)}: ${status.books.embedded} of ${status.books.total} books have vectors of ${status.activeModel}.`;
      });
    });

  const models = program.command('models').description('embedding models: list, switch, API key');
  models
    .command('list')
    .description('the bundled, downloadable and used models, with availability and vector counts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const list = expectOk(await api.models.list());
        return options.json ? json(list) : modelsTable(list);
      });
    });
  models
    .command('use')
    .description('switch the active model: its vectors are computed first, then it takes over atomically')
    .argument('<id>', 'lumin-glove-100d, Xenova/all-MiniLM-L6-v2, folder:/path, or openai:model')
    .option('--no-wait', 'queue the switch and return (the desktop app or `lumin embed` finishes it)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { wait: boolean; json?: boolean }) => {
      await run(program.opts(), async (api, _dataDir, core) => {
        const switched = expectOk(await api.models.use({ id }));
        if (switched.job && options.wait)
          await waitForJob(core, switched.job.id, output, options.json === true);
        const status = expectOk(await api.embeddings.status());
        if (options.json) return json({ ...switched, status });
        if (!switched.job) return `${switched.model.id} is already the active model.`;
        return status.activeModel === switched.model.id
          ? `Switched to ${switched.model.id}.`
          : `Switching to ${switched.model.id} in the background; ${status.activeModel} keeps serving until then.`;
      });
    });
  models
    .command('key')
    .description('store the OpenAI API key (read from stdin, never from the command line) or --clear it')
    .option('--clear', 'forget the stored key')
    .option(
      '--base-url <url>',
      "the endpoint the key is for (default the embedding endpoint's); it is sent to that origin only",
    )
    .action(async (options: { clear?: boolean; baseUrl?: string }) => {
      let key: string | null = null;
      if (!options.clear) {
        // A key on the command line would land in shell history and `ps`; stdin does not.
        if (process.stdin.isTTY) output.err('Paste the OpenAI API key, then press Ctrl-D:');
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        key = Buffer.concat(chunks).toString('utf8').trim();
        if (!key)
          usage(
            'no key on stdin (pipe it in: `echo "$KEY" | lumin models key`); use --clear to forget the key',
          );
      }
      await run(program.opts(), async (api) => {
        const stored = expectOk(
          await api.models.setApiKey(
            options.baseUrl === undefined ? { key } : { key, baseUrl: options.baseUrl },
          ),
        );
        return stored.stored ? 'OpenAI API key stored.' : 'OpenAI API key forgotten.';
      });
    });

  program
    .command('similar')
    .description('the books nearest to a book by content')
    .argument('<book>', 'book id, ISBN or exact title')
    .option('--k <n>', 'how many', '10')
    .option('--json', 'print JSON')
    .action(async (bookRef: string, options: { k: string; json?: boolean }) => {
      const k = Number(options.k);
      if (!Number.isInteger(k) || k < 1 || k > 200)
        usage(`--k: '${options.k}' is not a whole number from 1 to 200`);
      await run(program.opts(), async (api) => {
        const book = expectOk(await api.books.resolve({ ref: bookRef }));
        const similar = expectOk(await api.embeddings.similar({ id: book.id, k }));
        if (options.json) return json({ book: { id: book.id, title: book.title }, similar });
        return table(
          ['Score', 'Title', 'Authors'],
          similar.map((item) => [item.score.toFixed(3), item.book.title, item.book.authors.join(', ')]),
        );
      });
    });
}
