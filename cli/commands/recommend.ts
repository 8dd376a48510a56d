/** `lumin recommend`, `lumin group`, `lumin feedback`, `lumin stats`, `lumin jobs run|pause|resume|cancel`. */
import type { Command } from 'commander';
import type { Recommendations } from '../../shared/contract/recommend';
import { json, table } from '../format';
import { type Output, type Run, expectOk, usage } from '../session';

const FEEDBACK = ['up', 'down', 'dismiss', 'pin', 'block'] as const;

function whole(raw: string, name: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    usage(`${name}: '${raw}' is not a whole number from 1 to ${max}`);
  return value;
}

/** The JSON shape the issue promises: one object per book. */
function listJson(list: Recommendations): string {
  return json(
    list.items.map((item) => ({
      book_id: item.bookId,
      title: item.title,
      authors: item.authors,
      score: Number(item.score.toFixed(6)),
      source: item.source,
      proposed_by: item.proposedBy,
      exploratory: item.exploratory,
      pinned: item.pinned,
      rec_log_id: item.recLogId,
      explanation: item.explanation,
    })),
  );
}

function listTable(list: Recommendations, explainColumn: boolean): string {
  if (list.items.length === 0) return 'No recommendations: add books, or loosen the filters.';
  const header = `Source: ${list.source}${list.model ? ` · model ${list.model}` : ''} · ${list.tookMs.toFixed(1)} ms`;
  return `${header}\n${table(
    explainColumn ? ['#', 'Title', 'Authors', 'Why'] : ['#', 'Title', 'Authors', 'Score'],
    list.items.map((item) => [
      `${item.position + 1}${item.exploratory ? '*' : ''}`,
      item.title,
      item.authors.join(', '),
      explainColumn ? item.explanation : item.score.toFixed(4),
    ]),
    explainColumn ? 70 : 40,
  )}`;
}

/** Registers the recommendation commands. */
export function registerRecommendCommands(program: Command, _output: Output, run: Run): void {
  program
    .command('recommend')
    .description('recommendations for a reader (cache → personalised → batch → popular)')
    .argument('<reader>', 'reader name or id')
    .option('--k <n>', 'how many', '10')
    .option('--explain', 'show why each book (LLM sentences when an endpoint is configured)')
    .option('--owned-only', 'only books the library owns')
    .option('--fresh', 'skip the cache')
    .option('--json', 'print JSON: [{book_id, title, score, source, exploratory, explanation, …}]')
    .action(
      async (
        readerRef: string,
        options: { k: string; explain?: boolean; ownedOnly?: boolean; fresh?: boolean; json?: boolean },
      ) => {
        const k = whole(options.k, '--k', 100);
        await run(program.opts(), async (api) => {
          const reader = expectOk(await api.readers.resolve({ ref: readerRef }));
          const list = expectOk(
            await api.recommend.get({
              readerId: reader.id,
              k,
              explain: options.explain === true,
              ownedOnly: options.ownedOnly === true,
              fresh: options.fresh === true,
            }),
          );
          return options.json ? listJson(list) : listTable(list, options.explain === true);
        });
      },
    );

  program
    .command('group')
    .description('books for a literature circle: within every member’s level, unread by all')
    .argument('<readers...>', 'two or more reader names or ids')
    .option('--k <n>', 'how many', '10')
    .option('--json', 'print JSON')
    .action(async (refs: string[], options: { k: string; json?: boolean }) => {
      const k = whole(options.k, '--k', 50);
      if (refs.length < 2) usage('group: name at least two readers');
      await run(program.opts(), async (api) => {
        const readerIds = [];
        for (const ref of refs) readerIds.push(expectOk(await api.readers.resolve({ ref })).id);
        const list = expectOk(await api.recommend.group({ readerIds, k }));
        return options.json ? listJson(list) : listTable(list, true);
      });
    });

  program
    .command('feedback')
    .description(`thumbs up or down, dismiss, or a teacher's pin or block (${FEEDBACK.join(', ')})`)
    .argument('<reader>', 'reader name or id')
    .argument('<book>', 'book id, ISBN or exact title')
    .argument('<kind>', FEEDBACK.join('|'))
    .option('--json', 'print the interaction as JSON')
    .action(async (readerRef: string, bookRef: string, kind: string, options: { json?: boolean }) => {
      if (!(FEEDBACK as readonly string[]).includes(kind))
        usage(`'${kind}' is not one of ${FEEDBACK.join(', ')}`);
      await run(
        program.opts(),
        async (api) => {
          const reader = expectOk(await api.readers.resolve({ ref: readerRef }));
          const book = expectOk(await api.books.resolve({ ref: bookRef }));
          const interaction = expectOk(
            await api.recommend.feedback({
              readerId: reader.id,
              bookId: book.id,
              kind: kind as (typeof FEEDBACK)[number],
            }),
          );
          return options.json
            ? json(interaction)
            : `Recorded ${interaction.type} for ${reader.name}: ${book.title}.`;
        },
        { afterWrite: true },
      );
    });

  program
    .command('stats')
    .description('click-through by source, coverage, diversity and novelty over a period')
    .option('--class <name>', 'one class (name or id)')
    .option('--from <date>', 'start (default 30 days ago)')
    .option('--to <date>', 'end (default now)')
    .option('--json', 'print JSON')
    .action(async (options: { class?: string; from?: string; to?: string; json?: boolean }) => {
      await run(program.opts(), async (api) => {
        let classId: string | undefined;
        if (options.class) {
          const classes = expectOk(await api.classes.list());
          const found = classes.find(
            (item) => item.id === options.class || item.name.toLowerCase() === options.class?.toLowerCase(),
          );
          if (!found) usage(`--class: no class named '${options.class}'`);
          classId = found.id;
        }
        const stats = expectOk(
          await api.stats.get({
            ...(classId ? { classId } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
          }),
        );
        if (options.json) return json(stats);
        const rows = Object.entries(stats.ctr).map(([source, value]) => [
          source,
          value.impressions,
          value.clicks,
          `${(value.rate * 100).toFixed(1)}%`,
        ]);
        return [
          `${stats.from.slice(0, 10)} – ${stats.to.slice(0, 10)} · ${stats.readers} readers`,
          rows.length ? table(['Source', 'Shown', 'Clicked', 'CTR'], rows) : 'Nothing served in this period.',
          `Coverage ${(stats.coverage * 100).toFixed(1)}% · diversity ${stats.diversity?.toFixed(3) ?? '–'} · novelty ${stats.novelty?.toFixed(2) ?? '–'}`,
        ].join('\n');
      });
    });
}

/** `lumin jobs run|pause|resume|cancel` (added under the existing `jobs` listing). */
export function registerJobCommands(jobs: Command, program: Command, run: Run): void {
  jobs
    .command('run')
    .description('queue a background job now: nightly (retrain, batch lists) or enrich (estimate levels)')
    .argument('<kind>', 'nightly|enrich')
    .option('--json', 'print JSON')
    .action(async (kind: string, options: { json?: boolean }) => {
      if (kind !== 'nightly' && kind !== 'enrich')
        usage(`'${kind}' is not a job to run; use nightly or enrich`);
      await run(program.opts(), async (api, _dataDir, core) => {
        let job = expectOk(await api.jobs.run({ kind }));
        // A one-shot process waits for it: nothing else would run it before the process exits.
        while (!['succeeded', 'failed', 'cancelled'].includes(job.state)) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          job = expectOk(await core.api.jobs.get({ id: job.id }));
        }
        if (job.state !== 'succeeded') usage(`${kind} ${job.state}: ${job.lastError ?? ''}`);
        return options.json ? json(job) : `${kind}: ${job.progressMessage ?? 'done'}`;
      });
    });
  for (const verb of ['pause', 'resume', 'cancel'] as const)
    jobs
      .command(verb)
      .description(`${verb} a job`)
      .argument('<id>', 'job id (see `lumin jobs`)')
      .action(async (id: string) => {
        await run(program.opts(), async (api) => {
          const job = expectOk(await api.jobs[verb]({ id }));
          return `Job ${job.id} (${job.kind}) is ${job.state}.`;
        });
      });
}
