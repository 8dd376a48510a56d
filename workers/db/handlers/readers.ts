/** Readers (students and the single self reader) and classes (rosters). */
import type { ClassRecord, Reader, ReadingLevel } from '../../../shared/contract/domain';
import { LuminFailure } from '../../../shared/contract/errors';
import { type Sql, iso, likePattern, readingLevelOf } from '../context';
import type { HandlerSlice } from './types';

interface ReaderRow {
  id: string;
  kind: Reader['kind'];
  name: string;
  grade: number | null;
  age: number | null;
  reading_level: string | null;
  reading_level_system: ReadingLevel['system'] | null;
  reading_level_source: ReadingLevel['source'] | null;
  interests: string[];
  notes: string | null;
  class_id: string | null;
  sync: boolean;
  created_at: Date;
  updated_at: Date;
}

interface ClassRow {
  id: string;
  name: string;
  grade: number | null;
  notes: string | null;
  reader_count: number;
  created_at: Date;
  updated_at: Date;
}

function readerFromRow(row: ReaderRow): Reader {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    grade: row.grade,
    age: row.age,
    readingLevel: readingLevelOf(row),
    interests: row.interests,
    notes: row.notes,
    classId: row.class_id,
    sync: row.sync,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function classFromRow(row: ClassRow): ClassRecord {
  return {
    id: row.id,
    name: row.name,
    grade: row.grade,
    notes: row.notes,
    readerCount: row.reader_count,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const CLASS_SELECT = `SELECT c.*, (SELECT count(*)::int FROM readers r WHERE r.class_id = c.id) AS reader_count FROM classes c`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadReader(sql: Sql, id: string): Promise<Reader> {
  const result = await sql.query<ReaderRow>('SELECT * FROM readers WHERE id = $1', [id]);
  const row = result.rows[0];
  if (!row) throw new LuminFailure('not_found', `no reader with id ${id}`, { id });
  return readerFromRow(row);
}

async function loadClass(sql: Sql, id: string): Promise<ClassRecord> {
  const result = await sql.query<ClassRow>(`${CLASS_SELECT} WHERE c.id = $1`, [id]);
  const row = result.rows[0];
  if (!row) throw new LuminFailure('not_found', `no class with id ${id}`, { id, field: 'classId' });
  return classFromRow(row);
}

async function assertClassNameFree(sql: Sql, name: string, exceptId: string | null): Promise<void> {
  const clash = await sql.query<{ id: string }>(
    'SELECT id FROM classes WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2',
    [name, exceptId],
  );
  if (clash.rows[0])
    throw new LuminFailure('conflict', `a class named "${name}" already exists`, {
      field: 'name',
      existingId: clash.rows[0].id,
    });
}

/** Finds a class by name (case-insensitive) or creates it; returns its id and whether it is new. */
async function classIdForName(sql: Sql, name: string): Promise<{ id: string; created: boolean }> {
  const found = await sql.query<{ id: string }>('SELECT id FROM classes WHERE lower(name) = lower($1)', [
    name,
  ]);
  if (found.rows[0]) return { id: found.rows[0].id, created: false };
  const made = await sql.query<{ id: string }>('INSERT INTO classes (name) VALUES ($1) RETURNING id', [name]);
  return { id: (made.rows[0] as { id: string }).id, created: true };
}

async function assertSingleSelf(sql: Sql, exceptId: string | null): Promise<void> {
  const self = await sql.query<{ id: string; name: string }>(
    "SELECT id, name FROM readers WHERE kind = 'self' AND id IS DISTINCT FROM $1",
    [exceptId],
  );
  if (self.rows[0])
    throw new LuminFailure(
      'conflict',
      `there is already a self reader, "${self.rows[0].name}"; only one is allowed`,
      {
        field: 'kind',
        existingId: self.rows[0].id,
      },
    );
}

export const classHandlers = {
  async 'classes.add'(input, context) {
    const record = await context.db.transaction(async (tx) => {
      await assertClassNameFree(tx, input.name, null);
      const made = await tx.query<{ id: string }>(
        'INSERT INTO classes (name, grade, notes) VALUES ($1, $2, $3) RETURNING id',
        [input.name, input.grade ?? null, input.notes ?? null],
      );
      return loadClass(tx, (made.rows[0] as { id: string }).id);
    });
    context.changed({ entity: 'classes', op: 'insert', ids: [record.id] });
    return record;
  },

  async 'classes.list'(_input, context) {
    const result = await context.db.query<ClassRow>(`${CLASS_SELECT} ORDER BY lower(c.name)`);
    return result.rows.map(classFromRow);
  },

  async 'classes.update'(input, context) {
    const record = await context.db.transaction(async (tx) => {
      await loadClass(tx, input.id);
      const patch = input.patch;
      if (patch.name !== undefined) await assertClassNameFree(tx, patch.name, input.id);
      await tx.query(
        `UPDATE classes SET
           name = CASE WHEN $2 THEN $3 ELSE name END,
           grade = CASE WHEN $4 THEN $5::smallint ELSE grade END,
           notes = CASE WHEN $6 THEN $7 ELSE notes END,
           updated_at = now()
         WHERE id = $1`,
        [
          input.id,
          'name' in patch,
          patch.name ?? null,
          'grade' in patch,
          patch.grade ?? null,
          'notes' in patch,
          patch.notes ?? null,
        ],
      );
      return loadClass(tx, input.id);
    });
    context.changed({ entity: 'classes', op: 'update', ids: [record.id] });
    return record;
  },

  async 'classes.remove'(input, context) {
    const result = await context.db.query<{ id: string }>('DELETE FROM classes WHERE id = $1 RETURNING id', [
      input.id,
    ]);
    if (!result.rows[0])
      throw new LuminFailure('not_found', `no class with id ${input.id}`, { id: input.id });
    context.changed({ entity: 'classes', op: 'delete', ids: [input.id] });
    context.changed({ entity: 'readers', op: 'update', ids: [] });
    return { id: input.id };
  },
} satisfies HandlerSlice<'classes'>;

export const readerHandlers = {
  async 'readers.add'(input, context) {
    let classCreated: string | null = null;
    const reader = await context.db.transaction(async (tx) => {
      if (input.kind === 'self') await assertSingleSelf(tx, null);
      let classId = input.classId ?? null;
      if (classId) await loadClass(tx, classId);
      if (input.className) {
        const found = await classIdForName(tx, input.className);
        classId = found.id;
        if (found.created) classCreated = found.id;
      }
      const made = await tx.query<ReaderRow>(
        `INSERT INTO readers (kind, name, grade, age, reading_level, reading_level_system, reading_level_source, interests, notes, class_id, sync)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          input.kind ?? 'student',
          input.name,
          input.grade ?? null,
          input.age ?? null,
          input.readingLevel?.value ?? null,
          input.readingLevel?.system ?? null,
          input.readingLevel?.source ?? null,
          input.interests ?? [],
          input.notes || null,
          classId,
          input.sync ?? true,
        ],
      );
      return readerFromRow(made.rows[0] as ReaderRow);
    });
    if (classCreated) context.changed({ entity: 'classes', op: 'insert', ids: [classCreated] });
    context.changed({ entity: 'readers', op: 'insert', ids: [reader.id] });
    return reader;
  },

  async 'readers.get'(input, context) {
    return loadReader(context.db, input.id);
  },

  async 'readers.resolve'(input, context) {
    const ref = input.ref;
    const uuid = UUID.test(ref) ? ref : null;
    const result = await context.db.query<ReaderRow>(
      `SELECT * FROM readers WHERE ($1::uuid IS NOT NULL AND id = $1::uuid) OR lower(name) = lower($2)
        ORDER BY (id = $1::uuid) DESC NULLS LAST, name LIMIT 10`,
      [uuid, ref],
    );
    const exact = result.rows.find((row) => row.id === uuid);
    if (exact) return readerFromRow(exact);
    if (result.rows.length === 1) return readerFromRow(result.rows[0] as ReaderRow);
    if (result.rows.length === 0)
      throw new LuminFailure('not_found', `no reader matches '${ref}' (by id or exact name)`, { ref });
    throw new LuminFailure(
      'ambiguous',
      `'${ref}' matches ${result.rows.length} readers; use an id: ${result.rows.map((row) => `${row.name} (${row.id})`).join(', ')}`,
      { ref, candidates: result.rows.map((row) => row.id) },
    );
  },

  async 'readers.list'(input, context) {
    const { classId, query, limit, offset } = input ?? { limit: 100, offset: 0 };
    const where = '($1::uuid IS NULL OR class_id = $1) AND ($2::text IS NULL OR name ILIKE $2)';
    const parameters = [classId ?? null, query ? likePattern(query) : null];
    const [rows, total] = await Promise.all([
      context.db.query<ReaderRow>(
        `SELECT * FROM readers WHERE ${where} ORDER BY (kind = 'self') DESC, lower(name), id LIMIT $3 OFFSET $4`,
        [...parameters, limit, offset],
      ),
      context.db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM readers WHERE ${where}`,
        parameters,
      ),
    ]);
    return { items: rows.rows.map(readerFromRow), total: total.rows[0]?.total ?? 0 };
  },

  async 'readers.update'(input, context) {
    const patch = input.patch;
    let classCreated: string | null = null;
    const reader = await context.db.transaction(async (tx) => {
      await loadReader(tx, input.id);
      if (patch.kind === 'self') await assertSingleSelf(tx, input.id);
      let classId = patch.classId;
      if (classId) await loadClass(tx, classId);
      if (patch.className) {
        const found = await classIdForName(tx, patch.className);
        classId = found.id;
        if (found.created) classCreated = found.id;
      }
      const sets: string[] = [];
      const values: unknown[] = [input.id];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.kind !== undefined) set('kind', patch.kind);
      if ('grade' in patch) set('grade', patch.grade ?? null);
      if ('age' in patch) set('age', patch.age ?? null);
      if ('readingLevel' in patch) {
        set('reading_level', patch.readingLevel?.value ?? null);
        set('reading_level_system', patch.readingLevel?.system ?? null);
        set('reading_level_source', patch.readingLevel?.source ?? null);
      }
      if ('interests' in patch) set('interests', patch.interests ?? []);
      if ('notes' in patch) set('notes', patch.notes || null);
      if (patch.sync !== undefined) set('sync', patch.sync);
      if ('classId' in patch || 'className' in patch) set('class_id', classId ?? null);
      const result = await tx.query<ReaderRow>(
        `UPDATE readers SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
        values,
      );
      // Left out of sync: what still waits for the server goes too.
      if (patch.sync === false)
        await tx.query(
          "DELETE FROM sync_outbox WHERE kind = 'interaction' AND payload->>'reader' = (SELECT pseudonym::text FROM readers WHERE id = $1)",
          [input.id],
        );
      return readerFromRow(result.rows[0] as ReaderRow);
    });
    if (classCreated) context.changed({ entity: 'classes', op: 'insert', ids: [classCreated] });
    context.changed({ entity: 'readers', op: 'update', ids: [reader.id] });
    return reader;
  },
} satisfies Omit<HandlerSlice<'readers'>, 'readers.remove' | 'readers.export'>;
