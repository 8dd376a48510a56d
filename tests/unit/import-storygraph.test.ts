/** The StoryGraph export parser. */
import { describe, expect, it } from 'vitest';
import { createStorygraphParser } from '../../shared/import/storygraph';
import type { ParsedRow } from '../../shared/import/types';

function parse(chunks: string[]): ParsedRow[] {
  const parser = createStorygraphParser();
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

const EXPORT = [
  'Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,Loveable Characters?,Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,Content Warning Description,Tags,Owned?',
  'Piranesi,Susanna Clarke,,9781635575996,hardcover,read,2021/03/01,2021/03/10,2021/03/02-2021/03/10,1,"mysterious, reflective, adventurous",medium,Character,Yes,Yes,No,Complicated,4.25,"A house of endless halls.\nLoved ""the Other"".","Graphic: Violence, Death; Moderate: Grief",,"fantasy, favourites",Yes',
  '"Kafka on the Shore","Haruki Murakami, Philip Gabriel (Translator)",,sg-b5a1c2d3,paperback,to-read,2023/11/05,,,0,,,,,,,,,,,,,No',
  'Der Process,Franz Kafka,,3596294312,ebook,did-not-finish,2022/01/15,,"2022/01/20-2022/02/01, 2022/05/01-2022/05/03",2,dark,slow,,,,,,2.5,,,,,',
  'Middlemarch,George Eliot,,9780141439549,paperback,paused,2020/02/02,,,0,,,,,,,,7,,,,,maybe',
  ',,,not-an-isbn,,read,,,,,,,,,,,,,,,,,',
].join('\n');

describe('createStorygraphParser', () => {
  it('reads statuses, quarter stars, moods, pace, tags, content warnings and ownership', () => {
    const rows = parse([EXPORT]);
    expect(rows[0]).toEqual({
      row: 2,
      kind: 'book',
      book: {
        title: 'Piranesi',
        authors: ['Susanna Clarke'],
        isbn13: '9781635575996',
        isbn10: '1635575990',
        externalIds: {},
        tags: ['mysterious', 'reflective', 'adventurous', 'medium-paced', 'fantasy', 'favourites'],
        contentWarnings: ['Violence', 'Death', 'Grief'],
        ownedCopies: 1,
      },
      reading: {
        shelf: 'read',
        shelves: ['fantasy', 'favourites'],
        rating: 4.25,
        dateRead: '2021-03-10',
        dateAdded: '2021-03-01',
        readCount: 1,
        ownedCopies: 1,
        review: 'A house of endless halls.\nLoved "the Other".',
      },
      problems: [],
    });
    // A StoryGraph id in ISBN/UID is an external id, not an error.
    expect(rows[1]).toMatchObject({
      row: 3,
      kind: 'book',
      book: {
        title: 'Kafka on the Shore',
        authors: ['Haruki Murakami', 'Philip Gabriel (Translator)'],
        isbn13: null,
        externalIds: { storygraph: 'sg-b5a1c2d3' },
        ownedCopies: 0,
      },
      reading: { shelf: 'to-read', rating: null, dateAdded: '2023-11-05', readCount: 0 },
      problems: [],
    });
    // "Last Date Read" empty: the latest date of "Dates Read".
    expect(rows[2]).toMatchObject({
      row: 4,
      book: { isbn13: '9783596294312', isbn10: '3596294312', tags: ['dark', 'slow-paced'] },
      reading: { shelf: 'did-not-finish', rating: 2.5, dateRead: '2022-05-03', readCount: 2 },
      problems: [],
    });
  });

  it('keeps custom statuses, reports bad ratings and ownership, and rejects rows with no title', () => {
    const rows = parse([EXPORT]);
    expect(rows[3]).toMatchObject({
      row: 5,
      kind: 'book',
      reading: { shelf: 'paused', rating: null, ownedCopies: null },
      problems: [
        { row: 5, field: 'Owned?', reason: "'maybe' is not a whole number from 0 to 100000; left empty" },
        { row: 5, field: 'Star Rating', reason: "'7' is not a rating from 0 to 5; left empty" },
      ],
    });
    expect(rows[4]).toEqual({
      row: 6,
      kind: 'invalid',
      problems: [{ row: 6, field: 'Title', reason: 'the row has no title and no valid ISBN; skipped' }],
    });
  });

  it('reports an ISBN-shaped value with a wrong check digit', () => {
    const [row] = parse(['Title,Authors,ISBN/UID,Read Status\nHoles,Louis Sachar,9780440414804,read\n']);
    expect(row).toMatchObject({
      kind: 'book',
      book: { title: 'Holes', isbn13: null, externalIds: {} },
      problems: [
        { row: 2, field: 'ISBN/UID', reason: "'9780440414804' is not a valid ISBN-13; imported without it" },
      ],
    });
  });

  it('gives the same rows however the file is chunked', () => {
    const whole = parse([EXPORT]);
    expect(parse([...EXPORT])).toEqual(whole);
    for (let cut = 0; cut < EXPORT.length; cut += 7)
      expect(parse([EXPORT.slice(0, cut), EXPORT.slice(cut)])).toEqual(whole);
  });
});
