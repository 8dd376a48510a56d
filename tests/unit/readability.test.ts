import { describe, expect, it } from 'vitest';
import { fleschKincaidGrade, syllables } from '../../shared/domain/readability';
import { normaliseLevelValue } from '../../shared/domain/reading-level';

describe('readability estimate', () => {
  it('counts syllables the usual way', () => {
    expect(syllables('cat')).toBe(1);
    expect(syllables('dragon')).toBe(2);
    expect(syllables('adventure')).toBe(3);
    expect(syllables('make')).toBe(1);
  });

  it('rates simple prose below dense prose, and refuses texts too short to judge', () => {
    const simple = 'The cat sat on the mat. The dog ran to the cat. They play all day. '.repeat(4);
    const dense =
      'Interdisciplinary investigations of socioeconomic stratification necessitate methodological sophistication, comprehensive longitudinal documentation, and considerable institutional cooperation. '.repeat(
        3,
      );
    const low = fleschKincaidGrade(simple);
    const high = fleschKincaidGrade(dense);
    expect(low).not.toBeNull();
    expect(high).not.toBeNull();
    expect(low!).toBeLessThan(3);
    expect(high!).toBeGreaterThan(12);
    expect(fleschKincaidGrade('Too short to say.')).toBeNull();
  });

  it('reads back the canonical grade values it stores (PK, K and adult included)', () => {
    for (const stored of ['-1', '0', '4', '13'])
      expect(normaliseLevelValue('grade', stored)).toEqual({ ok: true, value: stored });
    expect(normaliseLevelValue('grade', 'K')).toEqual({ ok: true, value: '0' });
    expect(normaliseLevelValue('grade', '14').ok).toBe(false);
  });
});
