/** The streaming CSV tokenizer, delimiter detection and the UTF-8 decoder behind every text parser. */
import { describe, expect, it } from 'vitest';
import { createCsvTokenizer, detectDelimiter } from '../../shared/import/csv';
import { createTextDecoder } from '../../shared/import/text-decoding';

function tokenize(chunks: string[], delimiter = ','): { records: string[][]; unterminated: number | null } {
  const tokenizer = createCsvTokenizer(delimiter);
  const records = chunks.flatMap((chunk) => tokenizer.push(chunk));
  records.push(...tokenizer.end());
  return { records, unterminated: tokenizer.unterminatedRecord };
}

/** Every way of cutting `text` into two chunks, plus one character at a time. */
function everySplit(text: string): string[][] {
  const splits = [[...text]];
  for (let index = 0; index <= text.length; index += 1)
    splits.push([text.slice(0, index), text.slice(index)]);
  return splits;
}

const TRICKY =
  '\uFEFFtitle,author,notes\r\n' +
  '"Hello, World","Doe, Jane","She said ""hi""\r\nand left"\r\n' +
  'Plain,Émile Zola,\r' +
  '"",,"ends with quote"""\n' +
  '5" floppy,a"b,"x"y\n';

describe('createCsvTokenizer', () => {
  it('reads quotes, doubled quotes, embedded line breaks and delimiters, CRLF/CR/LF and a BOM', () => {
    expect(tokenize([TRICKY])).toEqual({
      records: [
        ['title', 'author', 'notes'],
        ['Hello, World', 'Doe, Jane', 'She said "hi"\r\nand left'],
        ['Plain', 'Émile Zola', ''],
        ['', '', 'ends with quote"'],
        // Sloppy quoting is kept literally rather than rejected.
        ['5" floppy', 'a"b', 'xy'],
      ],
      unterminated: null,
    });
  });

  it('gives the same records however the text is chunked', () => {
    const whole = tokenize([TRICKY]);
    for (const chunks of everySplit(TRICKY)) expect(tokenize(chunks)).toEqual(whole);
  });

  it('keeps blank lines as records, ends without a phantom record, and reads the last line without a break', () => {
    expect(tokenize(['a\n\nb\n']).records).toEqual([['a'], [''], ['b']]);
    expect(tokenize(['a,b']).records).toEqual([['a', 'b']]);
    expect(tokenize(['a,']).records).toEqual([['a', '']]);
    expect(tokenize(['']).records).toEqual([]);
    expect(tokenize(['\uFEFF']).records).toEqual([]);
  });

  it('reports a quote left open at the end instead of hanging, with the record it opened in', () => {
    const result = tokenize(['a,b\n"c,d\ne\n']);
    expect(result).toEqual({ records: [['a', 'b'], ['c,d\ne\n']], unterminated: 2 });
  });

  it('reads other delimiters and rejects a delimiter that is not one character', () => {
    expect(tokenize(['a;"b;c"\td\n'], ';').records).toEqual([['a', 'b;c\td']]);
    expect(tokenize(['a;"b;c"\td\n'], '\t').records).toEqual([['a;"b;c"', 'd']]);
    expect(() => createCsvTokenizer(',,')).toThrow(RangeError);
  });

  it('reads a huge field in linear time, fed in small chunks', () => {
    const huge = 'x'.repeat(3_000_000);
    const text = `a,"${huge}",c\n`;
    const chunks: string[] = [];
    for (let index = 0; index < text.length; index += 4096) chunks.push(text.slice(index, index + 4096));
    const { records } = tokenize(chunks);
    expect(records).toHaveLength(1);
    expect(records[0]?.[1]).toHaveLength(3_000_000);
  });
});

describe('detectDelimiter', () => {
  it('picks the delimiter that splits the header and keeps the column count', () => {
    expect(detectDelimiter('Title,Author,ISBN\nA,B,C\n')).toBe(',');
    expect(detectDelimiter('Titel;Autor;Jahr\n"Der Hund, die Katze";Müller;2001\n')).toBe(';');
    expect(detectDelimiter('Book Id\tTitle\tPrimary Author\n1\tA, B; C\tX\n')).toBe('\t');
    expect(detectDelimiter('"a,b";c;d\n"e,f";g;h\n')).toBe(';');
    expect(detectDelimiter('just one column\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
    // Excel's sep= line decides.
    expect(detectDelimiter('sep=;\r\nA,B\n')).toBe(';');
  });
});

describe('createTextDecoder', () => {
  const utf16 = (text: string, littleEndian: boolean): Uint8Array => {
    const bytes = new Uint8Array(2 + text.length * 2);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, 0xfeff, littleEndian);
    for (let index = 0; index < text.length; index += 1)
      view.setUint16(2 + index * 2, text.charCodeAt(index), littleEndian);
    return bytes;
  };

  it('joins characters split across chunks, in UTF-8 and in UTF-16 by its byte order mark', () => {
    const forms: [Uint8Array, string][] = [
      [new TextEncoder().encode('Ça📚é'), 'Ça📚é'],
      [utf16('Ça📚é', true), '\uFEFFÇa📚é'],
      [utf16('Ça📚é', false), '\uFEFFÇa📚é'],
    ];
    for (const [bytes, text] of forms)
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        const decoder = createTextDecoder();
        expect(
          decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut)) + decoder.end(),
        ).toBe(text);
      }
  });

  it('replaces bad bytes, an unfinished character and a lone surrogate with U+FFFD', () => {
    const decoder = createTextDecoder();
    expect(decoder.decode(new Uint8Array([0x61, 0xff, 0xc3])) + decoder.end()).toBe('a\uFFFD\uFFFD');
    expect(createTextDecoder().decode(new Uint8Array([0xe0, 0x80, 0x80, 0x62]))).toBe('\uFFFD\uFFFD\uFFFDb');
    const odd = createTextDecoder();
    expect(odd.decode(new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x62])) + odd.end()).toBe('\uFEFFa\uFFFD');
    const lone = createTextDecoder();
    expect(lone.decode(new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x61, 0x00])) + lone.end()).toBe(
      '\uFEFF\uFFFDa',
    );
  });
});
