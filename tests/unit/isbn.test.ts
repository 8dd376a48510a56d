import { describe, expect, it } from 'vitest';
import {
  cleanIsbn,
  isbn10To13,
  isbn13To10,
  isValidIsbn10,
  isValidIsbn13,
  normaliseIsbn,
} from '../../shared/domain/isbn';

describe('ISBN', () => {
  it('cleans hyphens, spaces and the Excel ="…" wrapper Goodreads exports', () => {
    expect(cleanIsbn('="0440414806"')).toBe('0440414806');
    expect(cleanIsbn(' 978-0-440-41480-3 ')).toBe('9780440414803');
    expect(cleanIsbn('080442957x')).toBe('080442957X');
  });

  it('checks digits of both forms', () => {
    expect(isValidIsbn10('0440414806')).toBe(true);
    expect(isValidIsbn10('0440414807')).toBe(false);
    expect(isValidIsbn10('080442957X')).toBe(true);
    expect(isValidIsbn13('9780440414803')).toBe(true);
    expect(isValidIsbn13('9780440414804')).toBe(false);
    expect(isValidIsbn13('1234567890123')).toBe(false);
  });

  it('converts between forms; 979 numbers have no ISBN-10', () => {
    expect(isbn10To13('080442957X')).toBe('9780804429573');
    expect(isbn13To10('9780804429573')).toBe('080442957X');
    expect(isbn13To10('9791032305690')).toBeNull();
    expect(normaliseIsbn('979-10-323-0569-0')).toEqual({ isbn13: '9791032305690', isbn10: null });
    expect(normaliseIsbn('not an isbn')).toBeNull();
  });
});
