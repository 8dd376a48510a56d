import { describe, expect, it } from 'vitest';
import {
  type EligibilityBook,
  type EligibilityReader,
  eligibility,
  isChild,
  matchingWarning,
  passesAgeGate,
} from '../../shared/recommend/filters';
import { readerBand } from '../../shared/recommend/levels';

const book = (facts: Partial<EligibilityBook> = {}): EligibilityBook => ({ id: 'b1', level: null, ...facts });
const nineYearOld: EligibilityReader = { kind: 'student', age: 9, band: readerBand({ age: 9 }) };
const adultSelf: EligibilityReader = { kind: 'self' };

describe('who counts as a child', () => {
  it('uses age, then grade, then the profile kind', () => {
    expect(isChild({ age: 12 })).toBe(true);
    expect(isChild({ age: 13, grade: 2 })).toBe(false);
    expect(isChild({ grade: 7 })).toBe(true);
    expect(isChild({ grade: 8 })).toBe(false);
    expect(isChild({ kind: 'self' })).toBe(false);
    expect(isChild({ kind: 'student' })).toBe(true);
    expect(isChild({})).toBe(true);
    expect(isChild({ kind: 'self', isChild: true })).toBe(true);
  });
});

describe('the age gate fails closed for children', () => {
  it('excludes an unrated book for a 9-year-old unless a teacher approved it', () => {
    expect(eligibility(book(), nineYearOld)).toEqual({ ok: false, reason: 'age_gate' });
    expect(eligibility(book({ approvedForChildren: true }), nineYearOld)).toEqual({ ok: true });
  });

  it('includes the same unrated book for an adult self reader', () => {
    expect(eligibility(book(), adultSelf)).toEqual({ ok: true });
    expect(eligibility(book({ interestLevel: 'adult' }), adultSelf)).toEqual({ ok: true });
  });

  it('excludes books whose ages start above the child (with a year of tolerance)', () => {
    expect(passesAgeGate(book({ interestAgeMin: 10 }), 9)).toBe(true);
    expect(passesAgeGate(book({ interestAgeMin: 11 }), 9)).toBe(false);
    expect(passesAgeGate(book({ interestLevel: 'MG' }), 9)).toBe(true);
    expect(passesAgeGate(book({ interestLevel: 'UG' }), 9)).toBe(false);
    expect(passesAgeGate(book({ interestLevel: 'adult', approvedForChildren: true }), 9)).toBe(false);
    // Conflicting records: the stricter minimum wins.
    expect(passesAgeGate(book({ interestAgeMin: 8, interestLevel: 'UG' }), 9)).toBe(false);
    // Only a maximum: fine when within reach, unknown (so closed) otherwise.
    expect(passesAgeGate(book({ interestAgeMax: 8 }), 9)).toBe(true);
    expect(passesAgeGate(book({ interestAgeMax: 16 }), 9)).toBe(false);
    expect(passesAgeGate(book({ interestAgeMax: 16, approvedForChildren: true }), 9)).toBe(true);
  });

  it('treats a student with no age or grade as a child of unknown age: no teen or adult books', () => {
    const unknown: EligibilityReader = { kind: 'student' };
    expect(eligibility(book({ interestLevel: 'MG+' }), unknown).ok).toBe(true);
    expect(eligibility(book({ interestLevel: 'UG' }), unknown)).toEqual({ ok: false, reason: 'age_gate' });
    expect(eligibility(book(), unknown)).toEqual({ ok: false, reason: 'age_gate' });
  });
});

describe('other rules', () => {
  const context = {
    read: new Set(['read']),
    dismissed: new Set(['dismissed']),
    blocked: new Set(['blocked', 'read']),
  };

  it('excludes read, dismissed and blocked books, blocked first', () => {
    expect(eligibility(book({ id: 'read' }), adultSelf, context)).toEqual({ ok: false, reason: 'blocked' });
    expect(eligibility(book({ id: 'dismissed' }), adultSelf, context)).toEqual({
      ok: false,
      reason: 'dismissed',
    });
    expect(eligibility(book({ id: 'blocked' }), adultSelf, context)).toEqual({
      ok: false,
      reason: 'blocked',
    });
    expect(eligibility(book({ id: 'read' }), adultSelf, { read: new Set(['read']) })).toEqual({
      ok: false,
      reason: 'read',
    });
    expect(eligibility(book({ id: 'other' }), adultSelf, context)).toEqual({ ok: true });
  });

  it('excludes another edition of a work the reader read, and nothing for an unknown work', () => {
    const read = { read: new Set(['paperback']), readWorks: new Set(['holes|louis sachar']) };
    expect(eligibility(book({ id: 'hardcover', workKey: 'holes|louis sachar' }), adultSelf, read)).toEqual({
      ok: false,
      reason: 'read',
    });
    expect(
      eligibility(book({ id: 'other', workKey: 'wayside school|louis sachar' }), adultSelf, read),
    ).toEqual({
      ok: true,
    });
    expect(eligibility(book({ id: 'untitled', workKey: null }), adultSelf, read)).toEqual({ ok: true });
  });

  it('excludes books out of band but never unlevelled ones for that reason', () => {
    const reader: EligibilityReader = { kind: 'self', band: readerBand({ grade: 4 }) };
    expect(eligibility(book({ level: 4.2 }), reader)).toEqual({ ok: true });
    expect(eligibility(book({ level: 8 }), reader)).toEqual({ ok: false, reason: 'out_of_band' });
    expect(eligibility(book({ level: 2 }), reader)).toEqual({ ok: false, reason: 'out_of_band' });
    expect(eligibility(book({ level: null }), reader)).toEqual({ ok: true });
    // For a child an unlevelled book still needs to pass the age gate.
    expect(eligibility(book({ level: null, interestLevel: 'LG' }), nineYearOld)).toEqual({ ok: true });
    expect(eligibility(book({ level: null }), nineYearOld)).toEqual({ ok: false, reason: 'age_gate' });
  });

  it('excludes content warnings as whole words in any case', () => {
    expect(matchingWarning(['Death of a parent'], ['death'])).toBe('death');
    expect(matchingWarning(['Deathly quiet'], ['death'])).toBeNull();
    const warned = book({ contentWarnings: ['Animal death'] });
    expect(eligibility(warned, adultSelf, { excludedWarnings: ['animal  DEATH'] })).toEqual({
      ok: false,
      reason: 'content_warning',
    });
    expect(eligibility(warned, adultSelf, { excludedWarnings: ['violence'] })).toEqual({ ok: true });
  });

  it('keeps to owned books when asked', () => {
    expect(eligibility(book({ ownedCopies: 0 }), adultSelf, { ownedOnly: true })).toEqual({
      ok: false,
      reason: 'not_owned',
    });
    expect(eligibility(book(), adultSelf, { ownedOnly: true })).toEqual({ ok: false, reason: 'not_owned' });
    expect(eligibility(book({ ownedCopies: 2 }), adultSelf, { ownedOnly: true })).toEqual({ ok: true });
    expect(eligibility(book({ ownedCopies: 0 }), adultSelf)).toEqual({ ok: true });
  });
});
