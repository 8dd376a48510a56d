/** `lumin books add|list|show|remove`. */
import type { Command } from 'commander';
import { parseReadingLevel } from '../../shared/domain/reading-level';
import { bookDetails, booksTable, json } from '../format';
import { expectOk, usage, type Run } from '../session';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function whole(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) usage(`--${name}: '${text}' is not a whole number`);
  return Number(text);
}

/** Registers the books commands. */
export function registerBookCommands(program: Command, run: Run): void {
  const books = program.command('books').description('the book catalogue');

  books
    .command('add')
    .description('add a book')
    .argument('<title>', 'the title')
    .option('--author <name>', 'an author (repeat for several)', collect)
    .option('--isbn <isbn>', 'ISBN-10 or ISBN-13, hyphens allowed')
    .option('--year <year>', 'publication year')
    .option('--pages <pages>', 'number of pages')
    .option('--level <level>', 'reading level: 650L, M, 4.5, "DRA 28", "grade 3"')
    .option('--subjects <list>', 'comma-separated subjects')
    .option('--description <text>', 'summary')
    .option('--owned <copies>', 'copies in your classroom library')
    .option('--json', 'print the book as JSON')
    .action(async (title: string, options: Record<string, string | string[] | boolean | undefined>) => {
      await run(
        program.opts(),
        async (api) => {
          const levelText = options.level as string | undefined;
          const readingLevel = levelText === undefined ? undefined : parseReadingLevel(levelText);
          if (readingLevel === null)
            usage(`--level: '${levelText}' is not a reading level (e.g. 650L, M, 4.5)`);
          const book = expectOk(
            await api.books.add({
              title,
              authors: options.author as string[] | undefined,
              isbn: options.isbn as string | undefined,
              year: whole('year', options.year as string | undefined),
              pages: whole('pages', options.pages as string | undefined),
              readingLevel,
              subjects: (options.subjects as string | undefined)
                ?.split(',')
                .map((item) => item.trim())
                .filter(Boolean),
              description: options.description as string | undefined,
              ownedCopies: whole('owned', options.owned as string | undefined),
            }),
          );
          return options.json ? json(book) : `Added "${book.title}" (${book.id})`;
        },
        { afterWrite: true },
      );
    });

  books
    .command('list')
    .description('list books by title')
    .option('--query <text>', 'match title, author or ISBN')
    .option('--limit <n>', 'at most this many', '100')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (options: { query?: string; limit: string; offset: string; json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const page = expectOk(
          await api.books.list({
            ...(options.query ? { query: options.query } : {}),
            limit: whole('limit', options.limit),
            offset: whole('offset', options.offset),
          }),
        );
        if (options.json) return json(page.items);
        if (page.total === 0)
          return options.query
            ? `No books match '${options.query}'.`
            : 'No books yet. Add one with: lumin books add TITLE';
        const shown =
          page.items.length < page.total
            ? `\n(${page.items.length} of ${page.total}; use --limit and --offset)`
            : '';
        return `${booksTable(page.items)}${shown}`;
      });
    });

  books
    .command('show')
    .description('show one book')
    .argument('<book>', 'id, ISBN or exact title')
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const book = expectOk(await api.books.resolve({ ref: reference }));
        return options.json ? json(book) : bookDetails(book);
      });
    });

  books
    .command('remove')
    .description('remove a book and its interactions')
    .argument('<book>', 'id, ISBN or exact title')
    .action(async (reference: string) => {
      await run(
        program.opts(),
        async (api) => {
          const book = expectOk(await api.books.resolve({ ref: reference }));
          expectOk(await api.books.remove({ id: book.id }));
          return `Removed "${book.title}"`;
        },
        { afterWrite: true },
      );
    });
}
