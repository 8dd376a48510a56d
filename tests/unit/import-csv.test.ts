/** The streaming CSV tokenizer, delimiter detection and the UTF-8 decoder behind every text parser. */
import { describe, expect, it } from 'vitest';
import { createCsvTokenizer, createUtf8Decoder, detectDelimiter } from '../../shared/import/csv';

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

describe('createUtf8Decoder', () => {
  it('joins characters split across chunks and replaces bad bytes', () => {
    const bytes = new TextEncoder().encode('Ça📚é');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const decoder = createUtf8Decoder();
      expect(
        decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut)) + decoder.end(),
      ).toBe('Ça📚é');
    }
    const decoder = createUtf8Decoder();
    expect(decoder.decode(new Uint8Array([0x61, 0xff, 0xc3])) + decoder.end()).toBe('a\uFFFD\uFFFD');
    expect(createUtf8Decoder().decode(new Uint8Array([0xe0, 0x80, 0x80, 0x62]))).toBe('\uFFFD\uFFFD\uFFFDb');
  });

  it('agrees with TextDecoder on random bytes', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 300; round += 1) {
      const bytes = Uint8Array.from({ length: 40 }, () => {
        const pick = random();
        return pick < 0.5 ? Math.floor(random() * 128) : 0x80 + Math.floor(random() * 128);
      });
      const ours = createUtf8Decoder();
      expect(ours.decode(bytes) + ours.end()).toBe(new TextDecoder().decode(bytes));
    }
  });
});
