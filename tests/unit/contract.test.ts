import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, createClient } from '../../shared/contract/client';
import { createEmitter } from '../../shared/contract/events';
import { validateInput } from '../../shared/contract/validate';

describe('contract', () => {
  it('builds the nested API over one transport, calling each method by its flat name', async () => {
    const calls: [string, unknown][] = [];
    const api = createClient(async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: null };
    });
    await api.books.add({ title: 'X' });
    await api.status.get();
    expect(calls).toEqual([
      ['books.add', { title: 'X' }],
      ['status.get', undefined],
    ]);
    expect(METHOD_NAMES).toContain('interactions.log');
  });

  it('normalises valid input and names the field of invalid input', () => {
    const valid = validateInput('books.add', {
      title: '  Holes ',
      isbn13: '978-0-440-41480-3',
      authors: ['A', 'A'],
    });
    expect(valid).toMatchObject({
      ok: true,
      input: { title: 'Holes', isbn13: '9780440414803', authors: ['A'] },
    });
    const invalid = validateInput('readers.add', { name: 'Kid', grade: 'five' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.code).toBe('invalid_argument');
      expect(invalid.error.message).toMatch(/^readers\.add: grade: /);
    }
    const unknown = validateInput('nope.nothing', {});
    expect(unknown.ok ? null : unknown.error.code).toBe('unknown_method');
  });

  it('delivers events to every listener even when one throws, and unsubscribes', () => {
    const emitter = createEmitter();
    const seen: string[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      emitter.on('data.changed', () => {
        throw new Error('listener bug');
      });
      const off = emitter.on('data.changed', (change) => seen.push(change.entity));
      emitter.emit('data.changed', { entity: 'books', op: 'insert', ids: [] });
      off();
      emitter.emit('data.changed', { entity: 'readers', op: 'insert', ids: [] });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual(['books']);
  });
});
