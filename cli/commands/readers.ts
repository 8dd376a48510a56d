/** `lumin readers …` and `lumin classes …`. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReadingLevel } from '../../shared/contract/domain';
import { parseGrade, parseReadingLevel } from '../../shared/domain/reading-level';
import { json, readersTable, table } from '../format';
import { type Output, expectOk, usage, type Run } from '../session';

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(/[,;]/)
        .map((item) => item.trim())
        .filter(Boolean);
}

function grade(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseGrade(text);
  if (parsed === null) usage(`--grade: '${text}' is not a grade (PK, K, 1 to 12, adult)`);
  return parsed;
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) usage(`--${name}: '${text}' is not a whole number`);
  return Number(text);
}

function level(text: string | undefined): ReadingLevel | undefined {
  if (text === undefined) return undefined;
  const parsed = parseReadingLevel(text);
  if (!parsed) usage(`--level: '${text}' is not a reading level (e.g. 650L, M, 4.5, "DRA 28", "grade 3")`);
  return parsed;
}

/** Registers the readers and classes commands. */
export function registerReaderCommands(program: Command, output: Output, run: Run): void {
  const readers = program
    .command('readers')
    .description('students on your rosters, and yourself in reader mode');

  readers
    .command('add')
    .description('add a reader')
    .argument('<name>', 'the reader’s name')
    .option('--grade <grade>', 'school grade: PK, K, 1–12 or adult')
    .option('--age <years>', 'age in years')
    .option(
      '--level <level>',
      'reading level: 650L (Lexile), M (guided reading), 4.5 (ATOS), "DRA 28", "grade 3"',
    )
    .option('--interests <list>', 'comma-separated interests, e.g. "dragons, space"')
    .option('--class <class>', 'class name (created if new) or id')
    .option('--notes <text>', 'private notes')
    .option('--self', 'this is you (reader mode); only one self reader exists')
    .option('--json', 'print the reader as JSON')
    .action(async (name: string, options: Record<string, string | boolean | undefined>) => {
      const classRef = options.class as string | undefined;
      const isId = classRef !== undefined && /^[0-9a-f-]{36}$/i.test(classRef);
      await run(
        program.opts(),
        async (api) => {
          const reader = expectOk(
            await api.readers.add({
              name,
              kind: options.self ? 'self' : 'student',
              grade: grade(options.grade as string | undefined),
              age: integer('age', options.age as string | undefined),
              readingLevel: level(options.level as string | undefined),
              interests: list(options.interests as string | undefined),
              notes: options.notes as string | undefined,
              ...(isId ? { classId: classRef } : classRef !== undefined ? { className: classRef } : {}),
            }),
          );
          return options.json ? json(reader) : `Added ${reader.name} (${reader.id})`;
        },
        { afterWrite: true },
      );
    });

  readers
    .command('list')
    .description('list readers')
    .option('--class <class>', 'only readers in this class (name or id)')
    .option('--json', 'print JSON')
    .action(async (options: { class?: string; json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const classes = expectOk(await api.classes.list());
        const wanted = options.class;
        const filter =
          wanted === undefined
            ? undefined
            : classes.find((item) => item.id === wanted || item.name.toLowerCase() === wanted.toLowerCase());
        if (wanted !== undefined && !filter) usage(`--class: no class named '${wanted}'`);
        const page = expectOk(
          await api.readers.list({ limit: 10_000, ...(filter ? { classId: filter.id } : {}) }),
        );
        if (options.json) return json(page.items);
        return page.items.length === 0
          ? 'No readers yet. Add one with: lumin readers add NAME'
          : readersTable(page.items, classes);
      });
    });

  readers
    .command('show')
    .description('show one reader')
    .argument('<reader>', 'name or id')
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const reader = expectOk(await api.readers.resolve({ ref: reference }));
        return options.json ? json(reader) : readersTable([reader], expectOk(await api.classes.list()));
      });
    });

  readers
    .command('update')
    .description('change a reader: sync choice, notes, interests, grade, name')
    .argument('<reader>', 'name or id')
    .option('--sync', 'send this reader’s events to the sync server when sync is on (the default)')
    .option('--no-sync', 'leave this reader out of sync: their events never enter the outbox')
    .option('--name <name>', 'new name')
    .option('--grade <grade>', 'school grade: PK, K, 1–12 or adult')
    .option('--interests <list>', 'comma-separated interests (replaces the list)')
    .option('--notes <text>', 'private notes ("" clears them)')
    .option('--json', 'print the reader as JSON')
    .action(async (reference: string, options: Record<string, string | boolean | undefined>) => {
      const patch = {
        ...(options.sync !== undefined ? { sync: options.sync === true } : {}),
        ...(options.name !== undefined ? { name: options.name as string } : {}),
        ...(options.grade !== undefined ? { grade: grade(options.grade as string) } : {}),
        ...(options.interests !== undefined ? { interests: list(options.interests as string) } : {}),
        ...(options.notes !== undefined ? { notes: (options.notes as string) || null } : {}),
      };
      if (Object.keys(patch).length === 0)
        usage('nothing to change: give --sync, --no-sync, --name, --grade, --interests or --notes');
      await run(
        program.opts(),
        async (api) => {
          const found = expectOk(await api.readers.resolve({ ref: reference }));
          const reader = expectOk(await api.readers.update({ id: found.id, patch }));
          return options.json
            ? json(reader)
            : `Updated ${reader.name}${reader.sync ? '' : ' (left out of sync)'}`;
        },
        { afterWrite: true },
      );
    });

  readers
    .command('remove')
    .description(
      'erase a reader: their history, lists, model row and backups copies; the server is asked to erase them too when sync is on',
    )
    .argument('<reader>', 'name or id')
    .option('--json', 'print what was erased as JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      await run(
        program.opts(),
        async (api) => {
          const reader = expectOk(await api.readers.resolve({ ref: reference }));
          const erased = expectOk(await api.readers.remove({ id: reader.id }));
          if (options.json) return json(erased);
          const rows = Object.values(erased.deleted).reduce((sum, count) => sum + count, 0);
          return [
            `Erased ${reader.name}: ${rows} rows, ${erased.backupsRewritten.length} backup(s) rewritten.`,
            ...(erased.eraseQueued ? ['An erase request for the sync server waits in the outbox.'] : []),
          ].join('\n');
        },
        { afterWrite: true },
      );
    });

  readers
    .command('export')
    .description(
      'write everything Lumin holds about one reader as JSON (see README, "Exporting a student’s data")',
    )
    .argument('<reader>', 'name or id')
    .requiredOption('--out <file>', 'the JSON file to write')
    .action(async (reference: string, options: { out: string }) => {
      await run(program.opts(), async (api) => {
        const reader = expectOk(await api.readers.resolve({ ref: reference }));
        const written = expectOk(await api.readers.export({ id: reader.id, out: resolve(options.out) }));
        return `Wrote ${reader.name}’s data to ${written.path} (${written.bytes} bytes).`;
      });
    });

  const classes = program.command('classes').description('classes (rosters)');
  classes
    .command('add')
    .description('add a class')
    .argument('<name>', 'class name, e.g. "Room 4"')
    .option('--grade <grade>', 'grade of the class')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { grade?: string; json?: boolean }) => {
      await run(
        program.opts(),
        async (api) => {
          const record = expectOk(await api.classes.add({ name, grade: grade(options.grade) }));
          return options.json ? json(record) : `Added class ${record.name} (${record.id})`;
        },
        { afterWrite: true },
      );
    });
  classes
    .command('list')
    .description('list classes')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await run(program.opts(), async (api) => {
        const records = expectOk(await api.classes.list());
        if (options.json) return json(records);
        return records.length === 0
          ? 'No classes yet. Add one with: lumin classes add NAME'
          : table(
              ['ID', 'NAME', 'GRADE', 'READERS'],
              records.map((item) => [item.id, item.name, item.grade, item.readerCount]),
            );
      });
    });
}
