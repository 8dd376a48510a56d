/** The shape of a MARC record as both readers (binary and MARCXML) hand it on, and reading its subfields. */
import type { RowProblem } from './types';

/** One subfield: its code (lower case) and its text. */
export interface MarcSubfield {
  code: string;
  value: string;
}

/** A control field (`data` set, 001–009) or a data field (indicators and subfields). */
export interface MarcField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: MarcSubfield[];
  data: string | null;
}

/** One bibliographic record as read from binary MARC or MARCXML. */
export interface MarcRecord {
  /** The 24-character leader ('' when a MARCXML record has none). */
  leader: string;
  fields: MarcField[];
}

/** A problem before it is given its record number. */
export type FieldProblem = Omit<RowProblem, 'row'>;

/** The values of subfield `code`, in order. */
export function values(field: MarcField, code: string): string[] {
  return field.subfields.filter((subfield) => subfield.code === code).map((subfield) => subfield.value);
}

/** The first non-blank value of subfield `code`. */
export function firstValue(field: MarcField, code: string): string | null {
  for (const value of values(field, code)) if (value.trim().length > 0) return value;
  return null;
}

/** The record's fields with any of `tags`. */
export function fieldsOf(record: MarcRecord, ...tags: string[]): MarcField[] {
  return record.fields.filter((field) => tags.includes(field.tag));
}
