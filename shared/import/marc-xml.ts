/**
 * MARCXML (`<collection>`/`<record>` in the MARC21 slim namespace, with a `marc:` prefix, or with no
 * namespace at all) streamed through saxes: only the record being read is held in memory. XML that is
 * not well-formed is reported against the record being read and ends the file: after a syntax error a
 * streaming parser cannot know where the next record starts.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { IMPORT_LIMITS, ImportLimitError, formatCount } from './limits';
import { recordToRow } from './marc-fields';
import type { FieldProblem, MarcField, MarcRecord, MarcSubfield } from './marc-record';
import type { ParsedRow } from './types';

/** Namespaces whose `record`, `datafield`… elements are MARC (MarcXchange, ISO 25577, is the same shape). */
const MARC_NAMESPACES = new Set([
  '',
  'http://www.loc.gov/MARC21/slim',
  'info:lc/xmlns/marcxchange-v1',
  'info:lc/xmlns/marcxchange-v2',
]);
/** No MARC value is longer than a whole binary record; longer text is cut to keep memory bounded. */
const MAX_TEXT = 100_000;

/** Text is handed to saxes in slices this long, so the record-size cap is checked as it grows. */
const SLICE = 65_536;

/** Thrown from saxes' error handler so parsing stops at the first well-formedness error. */
class XmlStop extends Error {}

/** Reads MARCXML text pushed in chunks; never throws. */
export class MarcXmlReader {
  private readonly parser: SaxesParser<{ xmlns: true }>;
  private rows: ParsedRow[] = [];
  private count = 0;
  private record: MarcRecord | null = null;
  private field: MarcField | null = null;
  private subfield: MarcSubfield | null = null;
  private capturing = false;
  private text = '';
  private stopped = false;
  /** Characters written so far, and where the record in progress started (for the record-size cap). */
  private written = 0;
  private recordStart = 0;

  constructor() {
    // An undeclared `marc:` prefix is a common export bug; treat any unbound prefix as MARC.
    this.parser = new SaxesParser({ xmlns: true, resolvePrefix: () => 'http://www.loc.gov/MARC21/slim' });
    this.parser.on('error', (error) => {
      throw new XmlStop(error.message);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.close(tag));
    this.parser.on('text', (text) => this.collect(text));
    this.parser.on('cdata', (text) => this.collect(text));
  }

  /** Parses the next piece of text; returns the records it completed. */
  write(text: string): ParsedRow[] {
    for (let start = 0; start < text.length && !this.stopped; start += SLICE) {
      const slice = text.slice(start, start + SLICE);
      this.written += slice.length;
      try {
        this.parser.write(slice);
      } catch (error) {
        if (error instanceof ImportLimitError) throw error;
        this.fail(error);
      }
      if (this.record && this.written - this.recordStart > IMPORT_LIMITS.marcRecordBytes)
        throw new ImportLimitError(
          this.count,
          'marcRecordBytes',
          `MARC record ${String(this.count)} is longer than the limit of ${formatCount(IMPORT_LIMITS.marcRecordBytes)} characters`,
        );
    }
    return this.take();
  }

  /** Ends the document; returns the remaining rows (and a problem if it was cut short or empty). */
  end(): ParsedRow[] {
    if (!this.stopped) {
      try {
        this.parser.close();
      } catch (error) {
        this.fail(error);
      }
    }
    if (!this.stopped && this.count === 0)
      this.rows.push({
        row: 1,
        kind: 'invalid',
        problems: [
          { row: 1, field: 'file', reason: 'the XML has no MARC <record> elements; nothing to import' },
        ],
      });
    this.stopped = true;
    return this.take();
  }

  private take(): ParsedRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  private fail(error: unknown): void {
    this.stopped = true;
    const raw = error instanceof Error ? error.message : String(error);
    // saxes writes "line:column: message". Some errors (text outside the root) surface only when the
    // text ends, so the position is approximate and can depend on where a chunk ended.
    const located = /^(\d+):(\d+): (.*)$/s.exec(raw);
    const message = located
      ? `line ${located[1] ?? ''}, column ${located[2] ?? ''}: ${located[3] ?? ''}`
      : raw;
    const problem: FieldProblem = {
      field: 'xml',
      reason: `the XML is not well-formed (${message.replace(/\.$/, '')}); stopped reading the file here`,
    };
    if (this.record) {
      const record = this.record;
      this.record = null;
      this.rows.push(recordToRow(record, this.count, [...this.textProblems(record), problem]));
    } else
      this.rows.push({
        row: this.count + 1,
        kind: 'invalid',
        problems: [{ row: this.count + 1, ...problem }],
      });
  }

  private attribute(tag: SaxesTagNS, name: string): string {
    return tag.attributes[name]?.value ?? '';
  }

  private open(tag: SaxesTagNS): void {
    if (!MARC_NAMESPACES.has(tag.uri)) return;
    switch (tag.local) {
      case 'record':
        if (this.record) return;
        this.count += 1;
        this.record = { leader: '', fields: [] };
        this.recordStart = this.written;
        this.field = null;
        return;
      case 'leader':
        if (this.record) this.startText();
        return;
      case 'controlfield':
        if (!this.record) return;
        this.field = {
          tag: this.attribute(tag, 'tag').trim(),
          ind1: ' ',
          ind2: ' ',
          subfields: [],
          data: '',
        };
        this.startText();
        return;
      case 'datafield':
        if (!this.record) return;
        this.field = {
          tag: this.attribute(tag, 'tag').trim(),
          ind1: this.attribute(tag, 'ind1').slice(0, 1) || ' ',
          ind2: this.attribute(tag, 'ind2').slice(0, 1) || ' ',
          subfields: [],
          data: null,
        };
        return;
      case 'subfield':
        if (!this.field || this.field.data !== null) return;
        this.subfield = { code: this.attribute(tag, 'code').trim().slice(0, 1).toLowerCase(), value: '' };
        this.startText();
        return;
    }
  }

  private close(tag: SaxesTagNS): void {
    if (!MARC_NAMESPACES.has(tag.uri)) return;
    switch (tag.local) {
      case 'record': {
        const record = this.record;
        if (!record) return;
        this.record = null;
        this.rows.push(recordToRow(record, this.count, this.textProblems(record)));
        return;
      }
      case 'leader':
        if (this.record && this.capturing) this.record.leader = this.endText();
        return;
      case 'controlfield':
        if (this.record && this.field && this.field.data !== null) {
          this.field.data = this.endText();
          this.addField(this.record, this.field);
        }
        this.field = null;
        return;
      case 'datafield':
        if (this.record && this.field && this.field.data === null) this.addField(this.record, this.field);
        this.field = null;
        return;
      case 'subfield':
        if (this.field && this.subfield) {
          this.subfield.value = this.endText();
          this.field.subfields.push(this.subfield);
        }
        this.subfield = null;
        return;
    }
  }

  private addField(record: MarcRecord, field: MarcField): void {
    if (record.fields.length >= IMPORT_LIMITS.marcFieldsPerRecord)
      throw new ImportLimitError(
        this.count,
        'marcFieldsPerRecord',
        `MARC record ${String(this.count)} has more than the limit of ${formatCount(IMPORT_LIMITS.marcFieldsPerRecord)} fields`,
      );
    record.fields.push(field);
  }

  private startText(): void {
    this.capturing = true;
    this.text = '';
  }

  private endText(): string {
    this.capturing = false;
    const text = this.text.normalize('NFC');
    this.text = '';
    return text;
  }

  private collect(text: string): void {
    if (this.capturing && this.text.length < MAX_TEXT)
      this.text += text.slice(0, MAX_TEXT - this.text.length);
  }

  /** Bytes the decoder could not read arrive as U+FFFD: say so once, against the first field holding one. */
  private textProblems(record: MarcRecord): FieldProblem[] {
    for (const field of record.fields) {
      const texts = field.data !== null ? [field.data] : field.subfields.map((subfield) => subfield.value);
      if (texts.some((text) => text.includes('\uFFFD')))
        return [
          {
            field: field.tag || 'record',
            reason: 'some text could not be read (not valid UTF-8?); it shows as �',
          },
        ];
    }
    return [];
  }
}
