import { describe, expect, it } from 'vitest';
import {
  FALLBACK_REASON,
  type ExplainItem,
  explain,
  matchingInterest,
  mentionsName,
} from '../../shared/recommend/explain';
import { readerBand } from '../../shared/recommend/levels';

const band = readerBand({ level: { value: '620L', system: 'lexile' } });
const holes: ExplainItem = {
  title: 'Holes',
  subjects: ['Juvenile fiction', 'Friendship'],
  tags: ['mystery'],
  description: 'A boy is sent to a camp where the warden makes the boys dig holes.',
  level: { value: '660L', system: 'lexile' },
  sources: ['content', 'collaborative'],
  best: 'content',
};

describe('explanations', () => {
  it('prefers a liked book, then an interest, then the source', () => {
    const context = { interests: ['mysteries', 'dragons'], band };
    expect(explain({ ...holes, nearestLiked: { title: 'Wayside School', similarity: 0.7 } }, context)).toBe(
      'Because you liked Wayside School · at your level, 660L',
    );
    expect(explain({ ...holes, nearestLiked: { title: 'Wayside School', similarity: 0.1 } }, context)).toBe(
      'Matches your interest in mysteries · at your level, 660L',
    );
    expect(explain(holes, { band })).toBe('Readers like you enjoyed it · at your level, 660L');
    expect(explain({ ...holes, sources: ['popular'] }, { band })).toBe(
      'Popular with readers at your level · 660L',
    );
    expect(explain({ ...holes, level: null, sources: ['popular'] }, { band })).toBe('Popular with readers');
    expect(explain({ sources: ['similar'] })).toBe('Similar to books you enjoyed');
    expect(explain({})).toBe(FALLBACK_REASON);
  });

  it('puts pins and exploration first', () => {
    expect(explain({ ...holes, pinned: true }, { band })).toBe(
      'Picked by your teacher · at your level, 660L',
    );
    expect(explain({ ...holes, level: null, exploratory: true }, { band })).toBe(
      'Something different to try',
    );
  });

  it('only notes the level when it is in band', () => {
    const hard = { ...holes, level: { value: '1200L', system: 'lexile' as const } };
    expect(explain(hard, { band })).toBe('Readers like you enjoyed it');
    expect(explain({ ...holes, level: { value: 'M', system: 'guided_reading' } }, { band })).toBe(
      'Readers like you enjoyed it · at your level, level M',
    );
  });

  it('matches interests as whole words, folding plurals, subjects before descriptions', () => {
    expect(matchingInterest(holes, ['camp'])).toBe('camp');
    expect(matchingInterest(holes, ['Mystery'])).toBe('Mystery');
    expect(matchingInterest(holes, ['hole'])).toBe('hole');
    expect(matchingInterest({ tags: ['Foxes', 'Ponies'] }, ['pony', 'fox'])).toBe('pony');
    expect(matchingInterest(holes, ['ole', 'wardens office'])).toBeNull();
    expect(matchingInterest(holes, ['camp', 'friendship'])).toBe('friendship');
    expect(matchingInterest({ subjects: ['Science fiction'] }, ['fiction science'])).toBeNull();
    expect(matchingInterest({ subjects: ['Science', 'fiction'] }, ['science fiction'])).toBeNull();
  });

  it('never contains the reader name', () => {
    const name = 'Matilda Wormwood';
    expect(mentionsName('Because you liked Matilda', name)).toBe(true);
    expect(mentionsName('Because you liked Matildas', name)).toBe(false);
    const items: ExplainItem[] = [
      { ...holes, nearestLiked: { title: 'Matilda', similarity: 0.9 } },
      { ...holes, nearestLiked: { title: 'The Wormwood Tales', similarity: 0.9 }, sources: [] },
      { ...holes, subjects: ['Matilda'], sources: ['popular'] },
      { level: { value: 'Matilda band', system: 'other' }, grade: 3 },
      { pinned: true },
      { exploratory: true, nearestLiked: { title: 'matilda', similarity: 1 } },
    ];
    const interests = ['Matilda', 'wormwood', 'mysteries'];
    for (const item of items) {
      const text = explain(item, { interests, band, readerName: name });
      expect(text.toLowerCase()).not.toContain('matilda');
      expect(text.toLowerCase()).not.toContain('wormwood');
    }
    expect(explain(items[0]!, { interests, band, readerName: name })).toBe(
      'Matches your interest in mysteries · at your level, 660L',
    );
  });
});
