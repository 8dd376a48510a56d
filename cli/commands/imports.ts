/** `lumin import FILE …` and `lumin export READER …`. */
import type { Command } from 'commander';
import { IMPORT_FORMATS, type ImportFormat } from '../../shared/import/types';
import { json, table } from '../format';
import { type GlobalOptions, type Output, type Run, CommandFailure, expectOk, usage } from '../session';

interface ImportOptions {
  format: string;
  reader?: string;
  class?: string;
  dryRun?: boolean;
  strict?: boolean;
  json?: boolean;
}

/** Registers the import and export commands. */
export function registerImportCommands(program: Command, output: Output, run: Run): void {
  program
    .command('import')
    .description(
      'import a book list or class roster (Goodreads, StoryGraph, LibraryThing, Calibre, MARC, ISBN list, CSV, JSON)',
    )
    .argument('<file>', 'the file; its format is detected from its content')
    .option('--format <format>', `auto or one of ${IMPORT_FORMATS.join(', ')}`, 'auto')
    .option('--reader <name>', 'whose reading history this is (found by name, or created)')
    .option('--class <name>', 'for rosters: the class the students join (found, or created)')
    .option('--dry-run', 'show what would happen and write nothing')
    .option('--strict', 'write nothing if any row has a problem')
    .option('--json', 'print one JSON object')
    .action(async (file: string, options: ImportOptions) => {
      if (options.format !== 'auto' && !(IMPORT_FORMATS as readonly string[]).includes(options.format))
        usage(
          `--format: '${options.format}' is not a format; use auto or one of ${IMPORT_FORMATS.join(', ')}`,
        );
      await run(
        program.opts<GlobalOptions>(),
        async (api) => {
          const preview = expectOk(
            await api.imports.preview({
              path: file,
              format: options.format as ImportFormat | 'auto',
              ...(options.reader ? { readerName: options.reader } : {}),
              ...(options.class ? { className: options.class } : {}),
            }),
          );
          if (options.dryRun) {
            expectOk(await api.imports.cancel({ previewId: preview.previewId }));
            return options.json ? json({ dryRun: true, ...preview }) : describePreview(preview);
          }
          const committed = await api.imports.commit({
            previewId: preview.previewId,
            strict: Boolean(options.strict),
          });
          if (!committed.ok) {
            if (committed.error.code === 'invalid_argument' && options.strict && !options.json)
              for (const problem of preview.problems.slice(0, 20))
                output.err(`  row ${problem.row}, ${problem.field}: ${problem.reason}`);
            throw new CommandFailure(committed.error);
          }
          const result = committed.value;
          const summary = {
            format: result.format,
            rows: result.rows,
            imported: result.imported,
            updated: result.updated,
            duplicates: result.duplicates,
            failed: result.failed,
            books: result.books,
            interactions: result.interactions,
          };
          if (options.json) return json(summary);
          const lines = [
            `Imported ${result.rows} rows from ${preview.path} (${result.format}): ${result.imported} new, ` +
              `${result.updated} updated, ${result.duplicates} already there; ${result.books} books, ${result.interactions} interactions.`,
          ];
          if (result.failed.length > 0) {
            lines.push(`${result.failed.length} problem(s):`);
            for (const problem of result.failed.slice(0, 50))
              lines.push(`  row ${problem.row}, ${problem.field}: ${problem.reason}`);
            if (result.failed.length > 50)
              lines.push(`  … and ${result.failed.length - 50} more (use --json for all)`);
          }
          return lines.join('\n');
        },
        { afterWrite: !options.dryRun },
      );
    });

  program
    .command('export')
    .description("write a reader's shelves, ratings and dates as a Goodreads-compatible CSV")
    .argument('<reader>', 'reader name or id')
    .option('--format <format>', 'goodreads', 'goodreads')
    .requiredOption('--out <file>', 'where to write it')
    .option('--json', 'print JSON')
    .action(async (readerRef: string, options: { format: string; out: string; json?: boolean }) => {
      if (options.format !== 'goodreads')
        usage(`--format: '${options.format}' is not an export format; use goodreads`);
      await run(program.opts<GlobalOptions>(), async (api) => {
        const reader = expectOk(await api.readers.resolve({ ref: readerRef }));
        const written = expectOk(
          await api.imports.export({ readerId: reader.id, format: 'goodreads', out: options.out }),
        );
        return options.json
          ? json(written)
          : `Wrote ${written.books} books of ${reader.name} to ${written.path}`;
      });
    });
}

function describePreview(preview: {
  path: string;
  format: string;
  rows: number;
  toCreate: number;
  toMerge: number;
  interactions: number;
  problems: { row: number; field: string; reason: string }[];
  problemCount: number;
  merges: { row: number; by: string; title: string; earlierRow: number | null }[];
  mergeCount: number;
  sample: {
    row: number;
    label: string;
    authors: string[];
    shelf: string | null;
    rating: number | null;
    action: string;
  }[];
}): string {
  const lines = [
    `Dry run: ${preview.path} is ${preview.format}, ${preview.rows} rows: ${preview.toCreate} new, ${preview.toMerge} matching books already known, ${preview.interactions} interactions. Nothing was written.`,
    table(
      ['ROW', 'ACTION', 'TITLE', 'AUTHORS', 'SHELF', 'RATING'],
      preview.sample.map((row) => [
        row.row,
        row.action,
        row.label,
        row.authors.join(', '),
        row.shelf,
        row.rating,
      ]),
    ),
  ];
  if (preview.mergeCount > 0) {
    lines.push(`${preview.mergeCount} merge(s):`);
    for (const merge of preview.merges.slice(0, 20))
      lines.push(
        `  row ${merge.row} → "${merge.title}"${merge.earlierRow ? ` (row ${merge.earlierRow})` : ''} by ${merge.by.replace('_', ' and ')}`,
      );
  }
  if (preview.problemCount > 0) {
    lines.push(`${preview.problemCount} problem(s):`);
    for (const problem of preview.problems.slice(0, 20))
      lines.push(`  row ${problem.row}, ${problem.field}: ${problem.reason}`);
  }
  return lines.join('\n');
}
