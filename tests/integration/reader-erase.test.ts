/**
 * Erasing a student: after `readers.remove`, no byte of their name, notes or interests is left in the
 * data folder (database files, WAL, unpacked backups), and nothing derived from them is left in the
 * database; other readers keep everything.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, finishedJob, open, tempDir, value } from '../support/core';
import { findBytes } from '../support/scan';

afterAll(cleanupDirs);

const NAME = 'Quillon Vexmarrow';
const NOTES = 'Xylophagic-notes-7731 about her dyslexia';
const INTERESTS = ['zyxomancy', 'glintwhistle'];
const SECRETS = [NAME, 'Xylophagic-notes-7731', ...INTERESTS];

describe('readers.remove erases a student', () => {
  it('leaves no byte of their name, notes or interests in the data folder and nothing derived', async () => {
    const dataDir = tempDir('lumin-erase-');
    const core = await open({ dataDir });
    const { api } = core;
    const added = value(
      await api.books.addMany({
        books: Array.from({ length: 60 }, (_, index) => ({
          title: `Catalogue book ${index}`,
          subjects: [index % 2 ? 'Mystery' : 'Science fiction'],
          interestAgeMin: 8,
          interestAgeMax: 12,
          readingLevel: { value: `${500 + index * 5}L`, system: 'lexile' as const },
        })),
      }),
    );
    const student = value(
      await api.readers.add({
        name: NAME,
        grade: 4,
        age: 9,
        notes: NOTES,
        interests: INTERESTS,
        className: 'Room 9',
      }),
    );
    const other = value(await api.readers.add({ name: 'Other Kid', grade: 4, age: 9, interests: ['space'] }));
    for (const [index, bookId] of added.ids.slice(0, 40).entries()) {
      value(
        await api.interactions.log({ readerId: student.id, bookId, type: index % 3 ? 'finish' : 'checkout' }),
      );
      if (index % 2) value(await api.interactions.log({ readerId: other.id, bookId, type: 'finish' }));
    }
    await finishedJob(core, value(await api.jobs.run({ kind: 'nightly' })).id);
    const served = value(await api.recommend.get({ readerId: student.id, k: 5, explain: true }));
    expect(served.items.length).toBeGreaterThan(0);
    value(
      await api.recommend.feedback({ readerId: student.id, bookId: added.ids[50] as string, kind: 'pin' }),
    );
    value(
      await api.recommend.feedback({ readerId: student.id, bookId: added.ids[51] as string, kind: 'block' }),
    );
    value(await api.recommend.get({ readerId: student.id, k: 5, fresh: true }));
    const backup = value(await api.backup.create({}));
    value(await api.readers.update({ id: student.id, patch: { notes: `${NOTES} (updated)` } }));
    value(await api.backup.create({}));
    // The scanner sees them before: the check below is not vacuous.
    expect(findBytes(dataDir, SECRETS).length).toBeGreaterThan(0);

    const erased = value(await api.readers.remove({ id: student.id }));
    expect(erased.deleted.interactions).toBe(42);
    expect(erased.deleted.rec_logs).toBeGreaterThan(0);
    expect(erased.modelRowDropped).toBe(true);
    expect(erased.backupsRewritten).toContain(backup.path);
    expect(erased.backupsRewritten).toHaveLength(2);
    expect(erased.eraseQueued).toBe(false);

    expect(findBytes(dataDir, SECRETS)).toEqual([]);
    expect((await api.readers.get({ id: student.id })).ok).toBe(false);
    // The host's list cache and the db worker's serving memory dropped them: no list is served from memory.
    expect((await api.recommend.get({ readerId: student.id, k: 5 })).ok).toBe(false);
    expect(value(await api.interactions.list({ readerId: student.id })).total).toBe(0);
    // The other reader keeps everything, and is still served (the model without the erased row loads).
    expect(value(await api.interactions.list({ readerId: other.id })).total).toBe(20);
    expect(
      value(await api.recommend.get({ readerId: other.id, k: 5, fresh: true })).items.length,
    ).toBeGreaterThan(0);
    await core.close();
    expect(findBytes(dataDir, SECRETS)).toEqual([]);
    expect(existsSync(backup.path)).toBe(true);

    // A rewritten backup still restores, without the student and with the other reader.
    const restored = await open({ dataDir: tempDir('lumin-erase-restored-') });
    value(await restored.api.status.get());
    await restored.close();
  }, 180_000);
});
