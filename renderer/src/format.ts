/** Display formatting shared by the panels. */
import type { ReadingLevel } from '../../shared/contract/domain';

/** A school grade as teachers say it: -1 Pre-K, 0 K, 13 Adult. */
export function formatGrade(grade: number | null): string {
  if (grade === null) return '—';
  if (grade === -1) return 'Pre-K';
  if (grade === 0) return 'K';
  if (grade === 13) return 'Adult';
  return String(grade);
}

/** The grades the add-reader form offers, in order. */
export const GRADES: readonly number[] = Array.from({ length: 15 }, (_, index) => index - 1);

const LEVEL_SYSTEMS: Record<ReadingLevel['system'], string> = {
  lexile: 'Lexile',
  atos: 'ATOS',
  guided_reading: 'Guided reading',
  dra: 'DRA',
  grade: 'Grade',
  other: '',
};

/** A reading level, e.g. "Lexile 650L" or "Guided reading M". */
export function formatLevel(level: ReadingLevel | null): string {
  if (!level) return '—';
  const system = LEVEL_SYSTEMS[level.system];
  return system ? `${system} ${level.value}` : level.value;
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString();
}

/** An ISO timestamp as a local date and time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
