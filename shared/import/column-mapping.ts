/** Which column holds which field, guessed from the header names of a spreadsheet or JSON list. */
import { MAPPABLE_FIELDS, type ColumnMapping, type MappableField } from './types';

const words = (list: string): string[] => list.split(' ');

/** Header names (lower-case, letters and digits only) that map to each field, best first. */
const SYNONYMS: Record<MappableField, string[]> = {
  // A few European spellings too: semicolon-separated files mostly come from European Excel.
  title: words('title booktitle name bookname titlename work titel titre título titulo titolo'),
  authors: words(
    'authors author writer writers by authorname creator creators primaryauthor ' +
      'autor autoren auteur auteurs autore autores autori',
  ),
  isbn: words('isbn13 isbn ean ean13 isbn10 isbnuid isbns isbnnumber'),
  description: words('description summary synopsis blurb comments annotation abstract'),
  subjects: words('subjects subject genre genres categories category bisac'),
  tags: words('tags tag keywords labels bookshelves shelves'),
  pages: words('pages pagecount numberofpages numpages length'),
  language: words('language lang languages'),
  publisher: words('publisher publishers imprint'),
  year: words(
    'originalpublicationyear year yearpublished publicationyear pubyear published ' +
      'publicationdate pubdate datepublished copyright',
  ),
  series: words('series seriesname seriestitle'),
  seriesIndex: words('seriesindex seriesnumber numberinseries seriesposition volume booknumber'),
  coverUrl: words('cover coverurl coverimage image imageurl thumbnail'),
  readingLevel: words(
    'readinglevel level lexile lexilelevel lexilemeasure arlevel atos atoslevel guidedreadinglevel ' +
      'guidedreading grl fplevel gradelevel dra dralevel booklevel',
  ),
  rating: words('rating myrating stars starrating score'),
  shelf: words('shelf exclusiveshelf status readstatus readingstatus'),
  dateRead: words('dateread datefinished finished lastdateread readdate finisheddate datecompleted'),
  dateAdded: words('dateadded added entrydate dateacquired acquired timestamp created'),
  ownedCopies: words('ownedcopies copies owned numberofcopies quantity qty'),
  interestLevel: words('interestlevel interest arinterestlevel il'),
  interestAgeMin: words('agemin minage agefrom youngestage interestagemin'),
  interestAgeMax: words('agemax maxage ageto oldestage interestagemax'),
  contentWarnings: words('contentwarnings warnings contentwarning triggerwarnings'),
};

/** A header reduced to lower-case letters and digits, `#` read as "number" (`Series #` → `seriesnumber`). */
export const headerKey = (header: string): string =>
  header
    .toLowerCase()
    .replace(/#/g, 'number')
    .replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Guesses which column holds which field from the header names alone ("Book Title" → title,
 * "Author(s)" → authors, "ISBN-13"/"EAN" → isbn, "AR Level"/"Lexile" → readingLevel, "Genre" →
 * subjects…). Each column maps to at most one field. When no name matches exactly, a header
 * containing "title", "author" or "isbn" is taken for that field.
 */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  const keys = headers.map(headerKey);
  for (const field of MAPPABLE_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = keys.findIndex((name, position) => name === synonym && !used.has(position));
      if (index === -1) continue;
      used.add(index);
      mapping[field] = (headers[index] as string).trim();
      break;
    }
  }
  const loose: [MappableField, RegExp][] = [
    ['title', /title/],
    ['authors', /author/],
    ['isbn', /isbn/],
  ];
  for (const [field, pattern] of loose) {
    if (mapping[field] !== undefined) continue;
    const index = keys.findIndex((name, position) => pattern.test(name) && !used.has(position));
    if (index === -1) continue;
    used.add(index);
    mapping[field] = (headers[index] as string).trim();
  }
  return mapping;
}
