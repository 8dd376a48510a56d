/**
 * Property tests for the CSV tokenizer and the delimited export parsers: 10,000 mutated files each
 * never make a parser throw, every row stays well-formed, and chunking never changes the result.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { createCalibreParser } from '../../shared/import/calibre';
import { createCsvTokenizer } from '../../shared/import/csv';
import { createGoodreadsParser } from '../../shared/import/goodreads';
import { createLibrarythingParser } from '../../shared/import/librarything';
import { createStorygraphParser } from '../../shared/import/storygraph';
import { RUNS, check, mutated, chunk, run, survivesMutation } from '../support/import-fuzz';

const GOODREADS = [
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies',
  '2767052,"The Hunger Games (The Hunger Games, #1)",Suzanne Collins,"Collins, Suzanne",,"=""0439023483""","=""9780439023481""",5,4.34,Scholastic,Hardcover,374,2008,2008,2023/01/05,2022/12/01,"ya, sf","ya (#1), sf (#2)",read,"Great<br/>""book""",,,1,1',
  '11,Cien años de soledad,Gabriel García Márquez,"García Márquez, Gabriel",Gregory Rabassa,="",="",0,4.11,Harper,Paperback,417,2006,1967,,2020/06/30,to-read,to-read (#4),to-read,,,,0,0',
].join('\r\n');
const STORYGRAPH = [
  'Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Moods,Pace,Star Rating,Review,Content Warnings,Tags,Owned?',
  'Piranesi,Susanna Clarke,,9781635575996,hardcover,read,2021/03/01,,2021/03/02-2021/03/10,1,"mysterious, dark",medium,4.25,"So\ngood","Graphic: Violence; Minor: Death","fantasy, faves",Yes',
  'Kafka on the Shore,Haruki Murakami,,sg-b5a1c2d3,paperback,paused,2023/11/05,,,0,,,,,,,No',
].join('\n');
const CALIBRE = [
  'author_sort,authors,comments,cover,id,identifiers,isbn,languages,pubdate,publisher,rating,series,series_index,tags,timestamp,title,uuid',
  '"Pratchett, Terry",Terry Pratchett & Neil Gaiman,"<p>The <b>end</b> &amp; more</p>",/c.jpg,42,"isbn:9780060853983,goodreads:12067",9780060853983,eng,2006-11-28T05:00:00+00:00,Morrow,8,Discworld,2.5,"Fantasy, Humor",2020-01-01T10:00:00+00:00,Good Omens,u-42',
].join('\n');
const LIBRARYTHING = [
  'Book Id\tTitle\tPrimary Author\tSecondary Author\tPublication\tDate\tISBN\tISBNs\tPage Count\tTags\tCollections\tSubjects\tRating\tDate Read\tEntry Date',
  '201\tThe Left Hand of Darkness\tLe Guin, Ursula K.\tMiéville, China\tAce (1987), 304 pages\t1969\t[0441478123]\t9780441478125, 0441478123\t304\tsf, classics\tYour library, To read\tScience fiction|Gender -- Fiction\t4.5\t[2020-04-20]\t2019-12-24',
].join('\n');

describe('CSV tokenizer properties', () => {
  it('reads back any records written with RFC 4180 quoting, however the text is chunked', () => {
    const field = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('"', ',', '\r\n', '\n', '\r', ' a ', '""'),
    );
    const records = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { maxLength: 6 });
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (rows, cuts, crlf) => {
        const quoteField = (value: string): string =>
          /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
        const text = rows.map((row) => `${row.map(quoteField).join(',')}${crlf ? '\r\n' : '\n'}`).join('');
        const tokenizer = createCsvTokenizer(',');
        const positions = cuts.map((cut) => cut % (text.length + 1)).sort((left, right) => left - right);
        const read = chunk(text, positions).flatMap((piece) => tokenizer.push(piece));
        read.push(...tokenizer.end());
        check(isDeepStrictEqual(read, rows), 'records did not read back');
        check(tokenizer.unterminatedRecord === null, 'no quote is left open');
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on mutated text and gives the same records however it is chunked', () => {
    fc.assert(
      fc.property(mutated(GOODREADS), fc.constantFrom(',', ';', '\t'), ({ text, cuts }, delimiter) => {
        const whole = createCsvTokenizer(delimiter);
        const expected = whole.push(text).concat(whole.end());
        const split = createCsvTokenizer(delimiter);
        const actual = chunk(text, cuts).flatMap((piece) => split.push(piece));
        actual.push(...split.end());
        check(isDeepStrictEqual(actual, expected), 'chunking changed the records');
        check(whole.unterminatedRecord === split.unterminatedRecord, 'chunking changed the open quote');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('delimited parsers never throw on mutated exports', () => {
  it('Goodreads', () => survivesMutation(() => createGoodreadsParser(), GOODREADS));
  it('StoryGraph', () => survivesMutation(() => createStorygraphParser(), STORYGRAPH));
  it('Calibre', () => survivesMutation(() => createCalibreParser(), CALIBRE));
  it('LibraryThing TSV', () => survivesMutation(() => createLibrarythingParser(), LIBRARYTHING));

  it('reads UTF-8 bytes split anywhere as it reads the decoded text', () => {
    fc.assert(
      fc.property(mutated(GOODREADS), ({ text, cuts }) => {
        const bytes = new TextEncoder().encode(text);
        const pieces = [0, ...cuts.map((cut) => cut % (bytes.length + 1)), bytes.length].sort(
          (left, right) => left - right,
        );
        const chunks = pieces.slice(1).map((end, index) => bytes.subarray(pieces[index], end));
        const expected = run(() => createGoodreadsParser(), [new TextDecoder().decode(bytes)]);
        check(
          isDeepStrictEqual(
            run(() => createGoodreadsParser(), chunks),
            expected,
          ),
          'bytes read differently',
        );
      }),
      { numRuns: 1_000 },
    );
  });
});
