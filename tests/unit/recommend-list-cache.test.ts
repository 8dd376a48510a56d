/** The host's list cache: what a change drops, and a list computed across a change is not stored. */
import { describe, expect, it } from 'vitest';
import { CACHE_TTL_MS, type CachedList, ListCache, changeScope } from '../../shared/recommend/list-cache';

const list = (title: string): CachedList => ({
  items: [
    {
      bookId: `book-${title}`,
      title,
      authors: [],
      score: 1,
      proposedBy: 'content',
      exploratory: false,
      pinned: false,
      explanation: 'because',
    },
  ],
  model: null,
  createdAt: Date.now(),
});
const options = { k: 10, ownedOnly: false, explain: false };

describe('changeScope', () => {
  it('scopes interactions and reader edits to their readers, and widens everything else', () => {
    expect(changeScope({ entity: 'interactions', op: 'insert', ids: ['i'], readerIds: ['a'] })).toEqual([
      'a',
    ]);
    expect(changeScope({ entity: 'readers', op: 'update', ids: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(changeScope({ entity: 'interactions', op: 'insert', ids: [] })).toBe('all');
    expect(changeScope({ entity: 'books', op: 'update', ids: ['x'] })).toBe('all');
    expect(changeScope({ entity: 'settings', op: 'update', ids: ['recommend.diversity'] })).toBe('all');
    expect(changeScope({ entity: 'recommendations', op: 'update', ids: [] })).toBe('all');
    expect(changeScope({ entity: 'jobs', op: 'update', ids: ['j'] })).toBe('none');
  });
});

describe('ListCache', () => {
  it('drops only the changed reader, and every reader on a catalogue change', () => {
    const cache = new ListCache();
    const a = ListCache.key('a', options);
    const b = ListCache.key('b', options);
    cache.set(a, 'a', list('A'));
    cache.set(b, 'b', list('B'));
    cache.apply({ entity: 'interactions', op: 'insert', ids: ['i'], readerIds: ['a'] });
    expect(cache.get(a)).toBeUndefined();
    expect(cache.get(b)?.items[0]?.title).toBe('B');
    cache.apply({ entity: 'jobs', op: 'update', ids: [] });
    expect(cache.get(b)).toBeDefined();
    cache.apply({ entity: 'embeddings', op: 'insert', ids: [] });
    expect(cache.get(b)).toBeUndefined();
  });

  it('refuses a list computed while a change to its reader arrived', () => {
    const cache = new ListCache();
    const key = ListCache.key('a', options);
    const before = cache.generation('a');
    cache.apply({ entity: 'readers', op: 'update', ids: ['a'] });
    expect(cache.set(key, 'a', list('stale'), before)).toBe(false);
    expect(cache.get(key)).toBeUndefined();
    const wide = cache.generation('a');
    cache.apply({ entity: 'books', op: 'insert', ids: [] });
    expect(cache.set(key, 'a', list('stale'), wide)).toBe(false);
    expect(cache.set(key, 'a', list('fresh'), cache.generation('a'))).toBe(true);
    expect(cache.get(key)?.items[0]?.title).toBe('fresh');
  });

  it('keys by request options and expires old lists', () => {
    const cache = new ListCache();
    const key = ListCache.key('a', options);
    cache.set(key, 'a', list('A'));
    expect(cache.get(ListCache.key('a', { ...options, k: 5 }))).toBeUndefined();
    expect(cache.get(key, Date.now() + CACHE_TTL_MS + 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
