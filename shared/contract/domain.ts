/**
 * Domain records as the core returns them. Plain JSON-safe objects: they cross worker, IPC and CLI
 * boundaries by structured clone. Timestamps are ISO-8601 strings in UTC.
 */

/** Every kind of interaction a reader can have with a book. */
export const INTERACTION_TYPES = [
  'view',
  'click',
  'checkout',
  'return',
  'finish',
  'rating',
  'thumbs_up',
  'thumbs_down',
  'want',
  'dismiss',
  'pin',
  'block',
] as const;
/** One of {@link INTERACTION_TYPES}. */
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** Reading-level systems Lumin understands; `grade` is a plain school grade equivalent. */
export const READING_LEVEL_SYSTEMS = ['lexile', 'atos', 'guided_reading', 'dra', 'grade', 'other'] as const;
/** One of {@link READING_LEVEL_SYSTEMS}. */
export type ReadingLevelSystem = (typeof READING_LEVEL_SYSTEMS)[number];

/** Whether a level came from a publisher or library record (`known`) or was estimated by Lumin or a person. */
export type ReadingLevelSource = 'known' | 'estimated';

/** A reading level: the value as its system writes it (e.g. `'650L'`, `'4.5'`, `'M'`). */
export interface ReadingLevel {
  /** The level as written in its system. */
  value: string;
  /** Which system the value belongs to. */
  system: ReadingLevelSystem;
  /** Where the level came from. */
  source: ReadingLevelSource;
}

/** Interest levels as school library systems publish them (AR style). */
export const INTEREST_LEVELS = ['LG', 'MG', 'MG+', 'UG', 'adult'] as const;
/** One of {@link INTEREST_LEVELS}. */
export type InterestLevel = (typeof INTEREST_LEVELS)[number];

/** A book in the local catalogue. */
export interface Book {
  /** Lumin's id (UUID). */
  id: string;
  /** ISBN-10, when the book has one (979 ISBNs do not). */
  isbn10: string | null;
  /** ISBN-13, the key imports match on. */
  isbn13: string | null;
  /**
   * ISBN-13s of the work's other editions, merged into this book by imports (sorted). Imports and
   * `books.resolve` find the book by any of them. Given by `books.get` and `books.resolve`.
   */
  alternateIsbns?: string[];
  /** Other identifiers, e.g. `{ goodreads: '123', calibre: '9', marc001: 'ocm0001' }`. */
  externalIds: Record<string, string>;
  /** Title without subtitle. */
  title: string;
  /** Subtitle, if any. */
  subtitle: string | null;
  /** Authors in credit order, "First Last". */
  authors: string[];
  /** Summary or publisher description. */
  description: string | null;
  /** Library subjects and genres (e.g. MARC 650/655, BISAC). */
  subjects: string[];
  /** Free tags from the user or an import (shelves, moods). */
  tags: string[];
  /** Page count. */
  pages: number | null;
  /** Language code (ISO 639, e.g. `en`). */
  language: string | null;
  /** Publisher name. */
  publisher: string | null;
  /** Year of first publication. */
  year: number | null;
  /** Series name. */
  series: string | null;
  /** Position in the series (may be fractional, e.g. 2.5 for a novella). */
  seriesIndex: number | null;
  /** Cover image URL. */
  coverUrl: string | null;
  /** Reading level with its system and whether known or estimated. */
  readingLevel: ReadingLevel | null;
  /** Interest level band (AR style). */
  interestLevel: InterestLevel | null;
  /** Youngest age the book is meant for. */
  interestAgeMin: number | null;
  /** Oldest age the book is meant for. */
  interestAgeMax: number | null;
  /** Content warnings (StoryGraph style, e.g. "death of a parent"). */
  contentWarnings: string[];
  /** Copies in the teacher's or reader's own library. */
  ownedCopies: number;
  /** A teacher approved this book for child profiles although its age or interest level is unknown. */
  approvedForChildren: boolean;
  /** When the record was created (ISO-8601, UTC). */
  createdAt: string;
  /** When the record last changed (ISO-8601, UTC). */
  updatedAt: string;
}

/** A class (roster) a teacher keeps. */
export interface ClassRecord {
  /** Lumin's id (UUID). */
  id: string;
  /** Class name, unique regardless of case. */
  name: string;
  /** Grade of the class (0 kindergarten, -1 pre-K). */
  grade: number | null;
  /** The teacher's notes. */
  notes: string | null;
  /** How many readers are in the class. */
  readerCount: number;
  /** When the record was created (ISO-8601, UTC). */
  createdAt: string;
  /** When the record last changed (ISO-8601, UTC). */
  updatedAt: string;
}

/** `student` readers belong to a teacher's roster; the single `self` reader is the user in reader mode. */
export type ReaderKind = 'student' | 'self';

/** A reader: a student on a roster, or the user themself. */
export interface Reader {
  /** Lumin's id (UUID). */
  id: string;
  /** Student on a roster, or the self reader. */
  kind: ReaderKind;
  /** Display name (never leaves the device). */
  name: string;
  /** School grade: 0 is kindergarten, -1 pre-kindergarten, 13 adult. */
  grade: number | null;
  /** Age in years. */
  age: number | null;
  /** Assessed reading level. */
  readingLevel: ReadingLevel | null;
  /** Interests in the reader's or teacher's words. */
  interests: string[];
  /** Private notes. */
  notes: string | null;
  /** The class, if any. */
  classId: string | null;
  /** Whether the reader's events go to the sync server when sync is on (default true). */
  sync: boolean;
  /** When the record was created (ISO-8601, UTC). */
  createdAt: string;
  /** When the record last changed (ISO-8601, UTC). */
  updatedAt: string;
}

/** One interaction event. `id` is generated by the client so retries and sync never duplicate it. */
export interface Interaction {
  /** Client-generated UUID. */
  id: string;
  /** Who. */
  readerId: string;
  /** Which book. */
  bookId: string;
  /** What happened. */
  type: InteractionType;
  /** A value where the type has one: the rating (0.5 to 5); for a finish, how many times read when more than once. */
  value: number | null;
  /** When it happened (ISO-8601, UTC). */
  occurredAt: string;
  /** The recommendation log entry it followed, if any (for CTR). */
  recLogId: number | null;
}

/** States of a durable background job. */
export const JOB_STATES = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
/** One of {@link JOB_STATES}. */
export type JobState = (typeof JOB_STATES)[number];

/** A background job on the durable queue. */
export interface Job {
  /** Job id (UUID). */
  id: string;
  /** What the job does, e.g. `backup`, `embed`. */
  kind: string;
  /** Where it is in its life. */
  state: JobState;
  /** 0..1 */
  progress: number;
  /** What it is doing now. */
  progressMessage: string | null;
  /** Attempts so far. */
  attempts: number;
  /** Attempts before it fails for good. */
  maxAttempts: number;
  /** The last failure's message. */
  lastError: string | null;
  /** Its parameters. */
  payload: Record<string, unknown>;
  /** When the record was created (ISO-8601, UTC). */
  createdAt: string;
  /** When it first ran. */
  startedAt: string | null;
  /** When it succeeded, failed for good or was cancelled. */
  finishedAt: string | null;
  /** When the record last changed (ISO-8601, UTC). */
  updatedAt: string;
}

/** The core's health and size, as `lumin status` shows it. */
export interface Status {
  /** Lumin's version. */
  appVersion: string;
  /** The data directory in use. */
  dataDir: string;
  /** Highest applied migration number. */
  schemaVersion: number;
  /** Record counts. */
  counts: {
    books: number;
    readers: number;
    classes: number;
    interactions: number;
    embeddings: number;
    jobsPending: number;
  };
  /** Newest snapshot in the backups folder. */
  lastBackupAt: string | null;
  /**
   * What the recommendation service holds in memory. It loads in the background after the library
   * opens (about 15 s at 100K books); until it is `warm`, lists are served from database queries.
   */
  serving: {
    /** Book facts, the active model's vectors and the readers' states are all loaded. */
    warm: boolean;
    /** Books whose facts are held. */
    books: number;
    /** Book vectors of the active model held. */
    vectors: number;
    /** Readers whose state is held. */
    readers: number;
    /**
     * Whether this host loads the memory at all: long-running hosts (the app) do; a one-shot CLI
     * command does not, and serves from the database.
     */
    loading: boolean;
  };
}

/** A snapshot written by `backup.create`. */
export interface BackupInfo {
  /** The snapshot file. */
  path: string;
  /** Its size. */
  bytes: number;
  /** When it was taken. */
  createdAt: string;
  /** The schema version it holds. */
  schemaVersion: number;
}

/** A page of a listing. */
export interface Page<T> {
  /** This page's records. */
  items: T[];
  /** Rows matching the query, regardless of limit/offset. */
  total: number;
}
