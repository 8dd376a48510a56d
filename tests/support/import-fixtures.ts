/**
 * The import fixtures the parser tests mutate and the re-import property test imports: one small,
 * valid file of every format Lumin reads (MARC both as ISO 2709 and as MARCXML).
 */
import { join, pad, utf8 } from './bytes';

export const GOODREADS = [
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies',
  '2767052,"The Hunger Games (The Hunger Games, #1)",Suzanne Collins,"Collins, Suzanne",,"=""0439023483""","=""9780439023481""",5,4.34,Scholastic,Hardcover,374,2008,2008,2023/01/05,2022/12/01,"ya, sf","ya (#1), sf (#2)",read,"Great<br/>""book""",,,1,1',
  '11,Cien años de soledad,Gabriel García Márquez,"García Márquez, Gabriel",Gregory Rabassa,="",="",0,4.11,Harper,Paperback,417,2006,1967,,2020/06/30,to-read,to-read (#4),to-read,,,,0,0',
].join('\r\n');
export const STORYGRAPH = [
  'Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Moods,Pace,Star Rating,Review,Content Warnings,Tags,Owned?',
  'Piranesi,Susanna Clarke,,9781635575996,hardcover,read,2021/03/01,,2021/03/02-2021/03/10,1,"mysterious, dark",medium,4.25,"So\ngood","Graphic: Violence; Minor: Death","fantasy, faves",Yes',
  'Kafka on the Shore,Haruki Murakami,,sg-b5a1c2d3,paperback,paused,2023/11/05,,,0,,,,,,,No',
].join('\n');
export const CALIBRE = [
  'author_sort,authors,comments,cover,id,identifiers,isbn,languages,pubdate,publisher,rating,series,series_index,tags,timestamp,title,uuid',
  '"Pratchett, Terry",Terry Pratchett & Neil Gaiman,"<p>The <b>end</b> &amp; more</p>",/c.jpg,42,"isbn:9780060853983,goodreads:12067",9780060853983,eng,2006-11-28T05:00:00+00:00,Morrow,8,Discworld,2.5,"Fantasy, Humor",2020-01-01T10:00:00+00:00,Good Omens,u-42',
].join('\n');
export const LIBRARYTHING = [
  'Book Id\tTitle\tPrimary Author\tSecondary Author\tPublication\tDate\tISBN\tISBNs\tPage Count\tTags\tCollections\tSubjects\tRating\tDate Read\tEntry Date',
  '201\tThe Left Hand of Darkness\tLe Guin, Ursula K.\tMiéville, China\tAce (1987), 304 pages\t1969\t[0441478123]\t9780441478125, 0441478123\t304\tsf, classics\tYour library, To read\tScience fiction|Gender -- Fiction\t4.5\t[2020-04-20]\t2019-12-24',
].join('\n');

export const LIBRARYTHING_JSON = JSON.stringify({
  '301': {
    books_id: '301',
    title: 'Dune',
    primaryauthor: 'Herbert, Frank',
    authors: [{ lf: 'Herbert, Frank', fl: 'Frank Herbert' }],
    isbn: { '0': '0441172717', '2': '9780441172719' },
    date: '1965',
    pages: '535 ',
    subject: [['Arrakis', 'Fiction']],
    tags: ['sf'],
    collections: ['Your library'],
    rating: 4.5,
    entrydate: '2018-05-06',
    datefinished: '2019-01-02',
  },
  '302': { books_id: '302', title: 'Le Petit Prince', isbn: ['9782070612758'], collections: ['To read'] },
});
export const GENERIC_CSV = [
  'Book Title;Author(s);ISBN-13;Genre;AR Level;Stars;Series;Series #;Date Finished;Status;Copies',
  'Wonder;R. J. Palacio;978-0-375-86902-0;Realistic fiction|Friendship;4.8;5;;;2024-03-01;finished;2',
  '"Harry Potter à l\'école";Rowling, J. K.;9782070584628;Fantasy;5.5;;Harry Potter;1;;want to read;1',
].join('\r\n');
export const GENERIC_JSON = JSON.stringify([
  {
    title: 'Matilda',
    authors: ['Roald Dahl'],
    isbn: '9780142410370',
    tags: ['classic'],
    lexile: '840L',
    rating: 4,
  },
  {
    title: 'Esio Trot',
    authors: 'Dahl, Roald',
    pages: 64,
    series: 'Dahl',
    seriesIndex: '#2',
    status: 'reading',
  },
]);
export const ROSTER = [
  'First Name,Last Name,Grade,Age,Lexile,Interests,Homeroom',
  'Amélie,Dubois,3rd,8,650,"dragons, soccer; space",Room 12',
  '"Nguyen, Minh",,K,5,BR100L,,Room 4',
].join('\r\n');
export const ISBN_LIST =
  '# shelf 3\r\n978-0-439-02348-1\r\n\r\n0439023483 # dup\r\n080442957x\r9791032305690\n';

/** A minimal ISO 2709 writer (the full one, with fixtures, is in import-marc.test.ts). */
function marc(fields: [string, string][], charset: 'a' | ' ' = 'a'): Uint8Array {
  const bodies = fields.map(([, body]) => join(utf8(body), Uint8Array.of(0x1e)));
  let offset = 0;
  const directory = fields
    .map(([tag], index) => {
      const entry = `${tag}${pad((bodies[index] as Uint8Array).length, 4)}${pad(offset, 5)}`;
      offset += (bodies[index] as Uint8Array).length;
      return entry;
    })
    .join('');
  const base = 24 + directory.length + 1;
  const leader = `${pad(base + offset + 1, 5)}nam ${charset}22${pad(base, 5)} i 4500`;
  return join(utf8(leader), utf8(directory), Uint8Array.of(0x1e), ...bodies, Uint8Array.of(0x1d));
}

const S = '\x1f';
export const MARC_BINARY = join(
  marc([
    ['001', 'ocm37475448'],
    ['008', '980101s1998    nyu    c      000 1 eng d'],
    ['020', `  ${S}a0590353403 (hardcover)`],
    ['020', `  ${S}a9780590353427 (pbk.) :${S}c$6.99`],
    ['100', `1 ${S}aRowling, J. K.,${S}eauthor.`],
    ['245', `10${S}aHarry Potter and the sorcerer's stone /${S}cby J.K. Rowling.`],
    ['264', ` 1${S}aNew York :${S}bArthur A. Levine Books,${S}c1998.`],
    ['300', `  ${S}axi, 309 pages :${S}billustrations ;${S}c24 cm`],
    ['490', `1 ${S}aHarry Potter ;${S}vbk. 1`],
    ['521', `8 ${S}a880L${S}bLexile`],
    ['526', `0 ${S}aAccelerated Reader${S}bMG${S}c5.5${S}d12.0`],
    ['650', ` 0${S}aWizards${S}vFiction.`],
    ['856', `42${S}3Cover image${S}uhttps://covers.example.org/1.jpg`],
  ]),
  utf8('\n'),
  marc([
    ['001', 'koha-2'],
    ['245', `10${S}aEl niño y el búho :${S}bun cuento /`],
    ['100', `1 ${S}aPeña, Matt de la.`],
    ['521', `1 ${S}aAges 9-12.`],
  ]),
  marc(
    [
      ['245', `00${S}aCaf\u00e9 /`],
      ['020', `  ${S}anot-an-isbn`],
    ],
    ' ',
  ),
);

export const MARC_XML = `<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim">
  <record>
    <leader>00000nam a2200000 i 4500</leader>
    <controlfield tag="001">ocm37475448</controlfield>
    <controlfield tag="008">980101s1998    nyu    c      000 1 eng d</controlfield>
    <datafield tag="020" ind1=" " ind2=" "><subfield code="a">0590353403 (hardcover)</subfield></datafield>
    <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Rowling, J. K.,</subfield></datafield>
    <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Harry Potter &amp; the stone /</subfield></datafield>
    <datafield tag="526" ind1="0" ind2=" "><subfield code="a">AR</subfield><subfield code="c">5.5</subfield></datafield>
  </record>
  <marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">
    <marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a"><![CDATA[となりのトトロ]]></marc:subfield></marc:datafield>
    <marc:datafield tag="521" ind1="2" ind2=" "><marc:subfield code="a">4-6</marc:subfield></marc:datafield>
  </marc:record>
</collection>
`;

/** Every text fixture by name. */
export const TEXT_FIXTURES: Readonly<Record<string, string>> = {
  goodreads: GOODREADS,
  storygraph: STORYGRAPH,
  calibre: CALIBRE,
  librarything: LIBRARYTHING,
  librarythingJson: LIBRARYTHING_JSON,
  genericCsv: GENERIC_CSV,
  genericJson: GENERIC_JSON,
  roster: ROSTER,
  isbnList: ISBN_LIST,
  marcXml: MARC_XML,
};
