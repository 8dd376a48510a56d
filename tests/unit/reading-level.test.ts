import { describe, expect, it } from 'vitest';
import {
  formatGrade,
  normaliseLevelValue,
  parseGrade,
  parseReadingLevel,
} from '../../shared/domain/reading-level';

describe('reading levels', () => {
  it('infers the system from how teachers write levels', () => {
    expect(parseReadingLevel('650L')).toEqual({ value: '650L', system: 'lexile', source: 'known' });
    expect(parseReadingLevel('br100l')).toEqual({ value: 'BR100L', system: 'lexile', source: 'known' });
    expect(parseReadingLevel('m')).toEqual({ value: 'M', system: 'guided_reading', source: 'known' });
    expect(parseReadingLevel('4.5')).toEqual({ value: '4.5', system: 'atos', source: 'known' });
    expect(parseReadingLevel('DRA 28')).toEqual({ value: '28', system: 'dra', source: 'known' });
    expect(parseReadingLevel('grade 3', 'estimated')).toEqual({
      value: '3',
      system: 'grade',
      source: 'estimated',
    });
    expect(parseReadingLevel('purple')).toBeNull();
  });

  it('checks values against their system', () => {
    expect(normaliseLevelValue('lexile', '650')).toEqual({ ok: true, value: '650L' });
    expect(normaliseLevelValue('atos', '14.2').ok).toBe(false);
    expect(normaliseLevelValue('guided_reading', 'AA').ok).toBe(false);
    expect(normaliseLevelValue('dra', '81').ok).toBe(false);
  });

  it('parses and formats grades', () => {
    expect(parseGrade('K')).toBe(0);
    expect(parseGrade('pre-k')).toBe(-1);
    expect(parseGrade('3rd')).toBe(3);
    expect(parseGrade('Grade 12')).toBe(12);
    expect(parseGrade('13')).toBeNull();
    expect(parseGrade(5)).toBe(5);
    expect([-1, 0, 7, 13].map(formatGrade)).toEqual(['PK', 'K', '7', 'adult']);
  });
});
