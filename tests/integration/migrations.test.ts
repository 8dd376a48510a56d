/** Migrations: recorded version, a failing migration leaves the previous version, shipped files are append-only. */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../workers/host/core';
import { migrationsDir } from '../../workers/db/layout';
import { loadMigrations } from '../../workers/db/migrate';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

const shipped = loadMigrations(migrationsDir()).length;
/** The file name of the migration after the shipped ones. */
const next = (name: string) => `${String(shipped + 1).padStart(4, '0')}_${name}.sql`;

function migrationsCopy(): string {
  const directory = tempDir('lumin-migrations-');
  cpSync(migrationsDir(), directory, { recursive: true });
  return directory;
}

describe('migrations', () => {
  it('applies the shipped migrations to a new directory and records the version', async () => {
    const core = await open();
    expect(core.opened.schemaVersion).toBe(shipped);
    expect(value(await core.api.status.get()).schemaVersion).toBe(core.opened.schemaVersion);
    await core.close();
  });

  it('applies a new migration at the next open', async () => {
    const dataDir = tempDir();
    const migrations = migrationsCopy();
    const first = await open({ dataDir, migrationsDir: migrations });
    value(await first.api.books.add({ title: 'Kept' }));
    await first.close();

    writeFileSync(
      join(migrations, next('reading_notes')),
      'ALTER TABLE books ADD COLUMN reading_notes text;',
    );
    const second = await open({ dataDir, migrationsDir: migrations });
    expect(second.opened.schemaVersion).toBe(shipped + 1);
    expect(value(await second.api.books.resolve({ ref: 'Kept' })).title).toBe('Kept');
    await second.close();
  });

  it('leaves the database at the previous version when a migration fails, with every row intact', async () => {
    const dataDir = tempDir();
    const migrations = migrationsCopy();
    const first = await open({ dataDir, migrationsDir: migrations });
    value(await first.api.books.add({ title: 'Survivor' }));
    await first.close();

    // The first statement succeeds, the second fails: the whole migration must roll back.
    writeFileSync(
      join(migrations, next('broken')),
      'CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;',
    );
    const broken = await openCore({ dataDir, migrationsDir: migrations, autoBackup: false });
    const error = failure(broken);
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain(next('broken'));
    expect(error.message).toContain(`stays at version ${shipped}`);

    // The failed open released the lock, and the old schema (without half_done) still opens.
    const again = await open({ dataDir });
    expect(again.opened.schemaVersion).toBe(shipped);
    expect(value(await again.api.books.resolve({ ref: 'Survivor' })).title).toBe('Survivor');
    await again.close();
  });

  it('refuses to open when an applied migration was edited afterwards', async () => {
    const dataDir = tempDir();
    const migrations = migrationsCopy();
    await (await open({ dataDir, migrationsDir: migrations })).close();
    writeFileSync(join(migrations, '0001_initial.sql'), '-- edited\nSELECT 1;');
    const error = failure(await openCore({ dataDir, migrationsDir: migrations, autoBackup: false }));
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain('append-only');
  });
});
