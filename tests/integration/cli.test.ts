/** The `lumin` command as a user runs it: a real process, a real data directory. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../../workers/db/layout';
import { loadMigrations } from '../../workers/db/migrate';
import { afterAll, describe, expect, it } from 'vitest';
import { readerExportSchema } from '../../shared/contract/reader-export';
import { cleanupDirs, tempDir } from '../support/core';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
const dataDir = tempDir('lumin-cli-');
afterAll(cleanupDirs);

function lumin(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LUMIN_DATA_DIR: dataDir },
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('lumin CLI', () => {
  it('adds and lists readers, with --json on listings', () => {
    const added = lumin(
      'readers',
      'add',
      'Ada Lovelace',
      '--grade',
      '4',
      '--age',
      '9',
      '--level',
      '650L',
      '--interests',
      'space, dragons',
      '--class',
      'Room 4',
      '--json',
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      name: 'Ada Lovelace',
      grade: 4,
      age: 9,
      interests: ['space', 'dragons'],
    });
    const listed = lumin('readers', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const table = lumin('readers', 'list');
    expect(table.stdout).toMatch(/NAME\s+GRADE/);
    expect(table.stdout).toContain('Room 4');
  });

  it('adds, lists and shows books, and logs an interaction by name and ISBN', () => {
    expect(
      lumin(
        'books',
        'add',
        'Holes',
        '--author',
        'Louis Sachar',
        '--isbn',
        '978-0-440-41480-3',
        '--year',
        '1998',
      ).code,
    ).toBe(0);
    const books = JSON.parse(lumin('books', 'list', '--json').stdout) as { title: string }[];
    expect(books.map((book) => book.title)).toEqual(['Holes']);
    expect(lumin('books', 'show', '0440414806').stdout).toContain('Louis Sachar');
    const logged = lumin('log', 'Ada Lovelace', '9780440414803', 'rating', '--value', '4.5', '--json');
    expect(logged.code).toBe(0);
    expect(JSON.parse(logged.stdout)).toMatchObject({ type: 'rating', value: 4.5 });
  });

  it('reports status as JSON with the schema version and counts', () => {
    const status = JSON.parse(lumin('status', '--json').stdout) as {
      schemaVersion: number;
      counts: Record<string, number>;
    };
    expect(status.schemaVersion).toBe(loadMigrations(migrationsDir()).length);
    expect(status.counts).toMatchObject({ books: 1, readers: 1, interactions: 1, embeddings: 0 });
  });

  it('fails with a non-zero exit and one line on stderr', () => {
    const cases: [string[], number, RegExp][] = [
      [['log', 'Nobody', 'Holes', 'finish'], 3, /^lumin: no reader matches 'Nobody'/],
      [
        ['log', 'Ada Lovelace', 'Holes', 'rating', '--value', '9'],
        2,
        /^lumin: interactions\.log: value: a rating needs a value from 0\.5 to 5$/,
      ],
      [['log', 'Ada Lovelace', 'Holes', 'loved'], 2, /^lumin: 'loved' is not an interaction type/],
      [
        ['books', 'add', 'Holes again', '--isbn', '0440414806'],
        4,
        /^lumin: books\.add: ISBN 9780440414803 is already in the catalogue/,
      ],
      [['readers', 'add'], 2, /^lumin: missing required argument 'name'$/],
      [['readers', 'add', 'X', '--grade', '15'], 2, /^lumin: --grade: '15' is not a grade/],
      [['frobnicate'], 2, /^lumin: unknown command 'frobnicate'/],
    ];
    for (const [args, code, message] of cases) {
      const result = lumin(...args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr.split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['readers', 'add'],
      ['books', 'list'],
      ['log'],
      ['status'],
      ['backup'],
      ['restore'],
    ]) {
      const result = lumin(...args, '--help');
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: lumin');
    }
  });

  it('backs up and restores into another directory', () => {
    const out = join(tempDir('lumin-cli-backup-'), 'library.tar.gz');
    expect(lumin('backup', '--out', out).stdout).toContain(out);
    const target = tempDir('lumin-cli-restore-');
    const restored = spawnSync(process.execPath, [bin, 'restore', out, '--data-dir', target, '--json'], {
      encoding: 'utf8',
    });
    expect(restored.status).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ counts: { books: 1, readers: 1, interactions: 1 } });
    // Restoring over an existing library keeps the old database aside and says where.
    const replaced = lumin('restore', out, '--data-dir', dataDir);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/The previous database was kept at .*pgdata\.before-restore-/);
  });
});

describe('lumin readers: a student’s data', () => {
  it('sets the sync choice, exports, rotates and erases', () => {
    expect(lumin('readers', 'add', 'Tomasz Wren', '--grade', '3', '--notes', 'likes maps').code).toBe(0);
    const off = lumin('readers', 'update', 'Tomasz Wren', '--no-sync', '--json');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ name: 'Tomasz Wren', sync: false });
    expect(lumin('readers', 'update', 'Tomasz Wren').code).not.toBe(0);

    const out = join(tempDir('lumin-cli-export-'), 'tomasz.json');
    const exported = lumin('readers', 'export', 'Tomasz Wren', '--out', out);
    expect(exported.code).toBe(0);
    const document = readerExportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(document.reader).toMatchObject({ name: 'Tomasz Wren', notes: 'likes maps' });

    const rotated = lumin('sync', 'rotate', 'Tomasz Wren', '--json');
    expect(rotated.code).toBe(0);
    // Sync was never used on this device: nothing to ask a server.
    expect(JSON.parse(rotated.stdout)).toMatchObject({ eraseQueued: false });

    const removed = lumin('readers', 'remove', 'Tomasz Wren', '--json');
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ deleted: { readers: 1 }, eraseQueued: false });
    expect(lumin('readers', 'show', 'Tomasz Wren').code).not.toBe(0);
  }, 600_000);
});
