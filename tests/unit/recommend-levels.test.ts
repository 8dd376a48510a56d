import { describe, expect, it } from 'vitest';
import {
  DRA_ANCHORS,
  LEXILE_ANCHORS,
  bookGrade,
  describeLevel,
  gradeEquivalent,
  inBand,
  levelFit,
  readerBand,
} from '../../shared/recommend/levels';

const lexile = (value: string) => gradeEquivalent({ value, system: 'lexile' });
const guided = (value: string) => gradeEquivalent({ value, system: 'guided_reading' });
const dra = (value: string) => gradeEquivalent({ value, system: 'dra' });

describe('grade equivalents', () => {
  it('converts Lexile measures through the grade table', () => {
    // 650L sits in both grade 2's (420–650L) and grade 3's (520–820L) typical range.
    const g = lexile('650L') as number;
    expect(g).toBeGreaterThanOrEqual(2);
    expect(g).toBeLessThan(4);
    expect(g).toBeCloseTo(2.5 + 115 / 135, 6);
    // The midpoint of grade 4's 740–940L range is the middle of grade 4.
    expect(lexile('840L')).toBeCloseTo(4.5, 6);
    expect(lexile('BR100L')).toBe(0.5);
    expect(lexile('BR')).toBe(0.5);
    expect(lexile('0L')).toBe(0.5);
    expect(lexile('1800L')).toBe(13);
    expect(lexile('650')).toBeCloseTo(g, 6);
  });

  it('is monotonic in the Lexile measure', () => {
    let previous = -Infinity;
    for (let measure = 0; measure <= 1600; measure += 10) {
      const g = lexile(`${measure}L`) as number;
      expect(g).toBeGreaterThanOrEqual(previous);
      previous = g;
    }
    for (let index = 1; index < LEXILE_ANCHORS.length; index += 1)
      expect(LEXILE_ANCHORS[index]![0]).toBeGreaterThan(LEXILE_ANCHORS[index - 1]![0]);
    for (let index = 1; index < DRA_ANCHORS.length; index += 1)
      expect(DRA_ANCHORS[index]![0]).toBeGreaterThan(DRA_ANCHORS[index - 1]![0]);
  });

  it('places guided reading letters within their F&P grade', () => {
    expect(Math.floor(guided('M') as number)).toBe(2);
    expect(guided('M')).toBeCloseTo(2.875, 6);
    expect(Math.floor(guided('A') as number)).toBe(0);
    expect(Math.floor(guided('D') as number)).toBe(1);
    expect(Math.floor(guided('I') as number)).toBe(1);
    expect(Math.floor(guided('J') as number)).toBe(2);
    expect(Math.floor(guided('P') as number)).toBe(3);
    expect(Math.floor(guided('S') as number)).toBe(4);
    expect(Math.floor(guided('V') as number)).toBe(5);
    expect(Math.floor(guided('Y') as number)).toBe(6);
    expect(guided('Z')).toBe(7.5);
    expect(guided('m')).toBe(guided('M'));
  });

  it('converts DRA levels', () => {
    expect(Math.floor(dra('40') as number)).toBe(4);
    expect(dra('40')).toBe(4.5);
    expect(Math.floor(dra('2') as number)).toBe(0);
    expect(Math.floor(dra('10') as number)).toBe(1);
    expect(Math.floor(dra('24') as number)).toBe(2);
    expect(Math.floor(dra('34') as number)).toBe(3);
    expect(dra('80')).toBe(8.5);
    expect(dra('A')).toBe(0);
  });

  it('takes ATOS as is, grades as the middle of their year, and gives up on other', () => {
    expect(gradeEquivalent({ value: '4.5', system: 'atos' })).toBe(4.5);
    expect(gradeEquivalent({ value: '4', system: 'grade' })).toBe(4.5);
    expect(gradeEquivalent({ value: 'K', system: 'grade' })).toBe(0.5);
    expect(gradeEquivalent({ value: '0', system: 'grade' })).toBe(0.5);
    expect(gradeEquivalent({ value: '-1', system: 'grade' })).toBe(-0.5);
    expect(gradeEquivalent({ value: 'blue', system: 'other' })).toBeNull();
    expect(gradeEquivalent({ value: 'purple', system: 'lexile' })).toBeNull();
    expect(gradeEquivalent(null)).toBeNull();
    expect(bookGrade({ value: '620L', system: 'lexile' })).toBe(lexile('620L'));
  });
});

describe('reader bands', () => {
  it('centres on the assessed level first', () => {
    const band = readerBand({ level: { value: '4.5', system: 'atos' }, grade: 2, age: 7 });
    expect(band).toEqual({ low: 3.5, high: 6, centre: 4.5, basis: 'level' });
  });

  it('falls back to the grade, then the age, then nothing', () => {
    expect(readerBand({ level: { value: 'x', system: 'other' }, grade: 3 })).toEqual({
      low: 2.5,
      high: 5,
      centre: 3.5,
      basis: 'grade',
    });
    // A 9-year-old is in grade 4 (age − 5).
    expect(readerBand({ age: 9 })).toEqual({ low: 3.5, high: 6, centre: 4.5, basis: 'age' });
    expect(readerBand({})).toBeNull();
  });

  it('takes other widths and rejects negative ones', () => {
    expect(readerBand({ grade: 3 }, { below: 0.5, above: 0.5 })).toMatchObject({ low: 3, high: 4 });
    expect(() => readerBand({ grade: 3 }, { below: -1 })).toThrow(RangeError);
  });

  it('scores fit 1 at the centre, falling linearly to 0 at each edge', () => {
    const band = readerBand({ grade: 4 })!;
    expect(levelFit(4.5, band)).toBe(1);
    expect(levelFit(5.25, band)).toBeCloseTo(0.5, 6);
    expect(levelFit(4, band)).toBeCloseTo(0.5, 6);
    expect(levelFit(6, band)).toBe(0);
    expect(levelFit(3.5, band)).toBe(0);
    expect(levelFit(7, band)).toBe(0);
    expect(levelFit(null, band)).toBe(0);
    expect(levelFit(4.5, null)).toBe(0);
    expect(inBand(6, band)).toBe(true);
    expect(inBand(6.01, band)).toBe(false);
    expect(inBand(null, band)).toBe(false);
  });
});

describe('describeLevel', () => {
  it('writes levels the way teachers read them', () => {
    expect(describeLevel({ value: '620L', system: 'lexile' })).toBe('620L');
    expect(describeLevel({ value: '620', system: 'lexile' })).toBe('620L');
    expect(describeLevel({ value: 'M', system: 'guided_reading' })).toBe('level M');
    expect(describeLevel({ value: '4.5', system: 'atos' })).toBe('ATOS 4.5');
    expect(describeLevel({ value: '28', system: 'dra' })).toBe('DRA 28');
    expect(describeLevel({ value: '4', system: 'grade' })).toBe('grade 4');
    expect(describeLevel({ value: 'K', system: 'grade' })).toBe('grade K');
    expect(describeLevel({ value: '0', system: 'grade' })).toBe('grade K');
    expect(describeLevel({ value: '13', system: 'grade' })).toBe('adult');
    expect(describeLevel({ value: 'Blue band', system: 'other' })).toBe('Blue band');
  });
});
