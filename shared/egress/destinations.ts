/**
 * Everything Lumin may send off the device, as one declarative table: per destination kind, what a
 * request carries, to whom, and which setting turns it on. The egress module (workers/egress/) refuses
 * whatever the table does not allow, and Settings → Privacy is generated from the same rows
 * (`privacy.get`), so the page cannot drift from the code.
 *
 * Student data never appears here: no kind may carry a reader's name, notes, typed interests, age,
 * grade, level or anything from their history. Sync carries pseudonyms, grade bands, days and ISBNs.
 */
import type { SettingValues } from '../contract/settings';
import { parseModelId } from '../embed/models';

/** A destination kind: one per feature that talks to the network. */
export type EgressKind = 'chat' | 'embeddings' | 'covers' | 'models' | 'sync';

/**
 * What a request's payload is made of. The egress module refuses a payload part its kind does not
 * list: e.g. `reader-profile` may never go to a remote embedding endpoint.
 */
export type PayloadPart =
  /** A book's catalogue record: title, subtitle, authors, series, subjects, tags, description. */
  | 'catalogue-book'
  /** A catalogue subject or tag (from the books, never a reader's typed interest). */
  | 'catalogue-tag'
  /** A reader's profile text (interests, grade, level): computed on the device only. */
  | 'reader-profile'
  /** An ISBN. */
  | 'isbn'
  /** A model repository id and file names. */
  | 'model-name'
  /** Sync's pseudonymous interactions: pseudonym hashes, grade bands, days, ISBNs, event types. */
  | 'pseudonymous-interactions';

/** One row of the table. */
export interface Destination {
  kind: EgressKind;
  /** The feature, as Settings names it. */
  feature: string;
  /** What leaves the device, in words. */
  sends: string;
  /** What never does (said on the privacy page too). */
  never: string;
  /** The payload parts a request of this kind may carry; anything else is refused. */
  carries: readonly PayloadPart[];
  /** Who receives it, in words (the actual host is added at run time). */
  recipient: string;
  /** The setting that turns it on. */
  setting: keyof SettingValues;
  /** Whether an API key or token may be sent (only to the origin it was stored for). */
  credential: boolean;
}

const NEVER_STUDENT =
  "a reader's name, notes, typed interests, age, grade, reading level or any title from their history";

/** The table. */
export const DESTINATIONS: readonly Destination[] = [
  {
    kind: 'chat',
    feature: 'LLM explanations and reading-level estimates',
    sends:
      "a recommended book's title and authors, and the names of the book's own catalogue subjects that matched; for level estimates, a book's title, authors and subjects",
    never: NEVER_STUDENT,
    carries: ['catalogue-book', 'catalogue-tag'],
    recipient: 'the chat endpoint in Settings (OpenAI unless another base URL is set)',
    setting: 'explanations.llm.enabled',
    credential: true,
  },
  {
    kind: 'embeddings',
    feature: 'Remote embeddings (an OpenAI-compatible model)',
    sends:
      "the catalogue's book texts (title, authors, series, subjects, tags, description) and catalogue tags",
    never: `${NEVER_STUDENT}: reader vectors are computed on this device`,
    carries: ['catalogue-book', 'catalogue-tag'],
    recipient: 'the embedding endpoint in Settings (OpenAI unless another base URL is set)',
    setting: 'embeddings.model',
    credential: true,
  },
  {
    kind: 'covers',
    feature: 'Covers from the internet',
    sends: "a book's ISBN, without cookies or referrer; covers are kept in the data folder",
    never: `${NEVER_STUDENT}; cover addresses named in imported files are never fetched`,
    carries: ['isbn'],
    recipient: 'Open Library covers (covers.openlibrary.org)',
    setting: 'covers.fromInternet',
    credential: false,
  },
  {
    kind: 'models',
    feature: 'Model downloads',
    sends: "the model's name and its file names (a download, nothing uploaded)",
    never: NEVER_STUDENT,
    carries: ['model-name'],
    recipient: 'the Hugging Face hub (huggingface.co)',
    setting: 'embeddings.autoUpgrade',
    credential: false,
  },
  {
    kind: 'sync',
    feature: 'Sync',
    sends: 'pseudonymous interactions: pseudonym hashes, grade bands, days, ISBNs and event types',
    never: "a reader's name, notes, typed interests, or titles",
    carries: ['pseudonymous-interactions', 'isbn'],
    recipient: "the sync server this device enrolled with (the school's server)",
    setting: 'sync.enabled',
    credential: true,
  },
];

/** The row of `kind`. */
export function destination(kind: EgressKind): Destination {
  const row = DESTINATIONS.find((entry) => entry.kind === kind);
  if (!row) throw new RangeError(`no egress destination '${kind}'`);
  return row;
}

/** One line of Settings → Privacy: a table row with whether it is on now and where it goes. */
export interface PrivacyRow extends Destination {
  on: boolean;
  /** The origin requests go to now (or the recipient in words when it has none yet). */
  to: string;
}

/** OpenAI's endpoint, the default for chat and embeddings. */
export const OPENAI_ORIGIN = 'https://api.openai.com';
/** OpenAI's API base URL, the default of chat and embeddings. */
export const OPENAI_BASE_URL = `${OPENAI_ORIGIN}/v1`;
/** The default cover host. */
export const COVERS_ORIGIN = 'https://covers.openlibrary.org';
/** The default model hub. */
export const HUB_ORIGIN = 'https://huggingface.co';

/** The origin of `url`, or `fallback` when it is empty or not a URL. */
export function originOf(url: string | null | undefined, fallback: string): string {
  if (!url) return fallback;
  try {
    return new URL(url).origin;
  } catch {
    return fallback;
  }
}

/** What decides whether each kind is on, besides the settings. */
export interface PrivacyFacts {
  settings: SettingValues;
  /** The sync server this device enrolled with (null when none). */
  syncServer: string | null;
  /** Where covers come from (the allowlist's first host). */
  coverOrigin?: string;
  /** Where models download from. */
  hubOrigin?: string;
}

/**
 * Every row with on/off and destination. Remote embeddings are on while the active model is an
 * `openai:` model; model downloads while the app may upgrade or the active model is a hub model.
 */
export function privacyRows(facts: PrivacyFacts): PrivacyRow[] {
  const { settings } = facts;
  const model = settings['embeddings.model'];
  const parsed = parseModelId(model);
  const source = 'spec' in parsed ? parsed.spec.source : null;
  return DESTINATIONS.map((row): PrivacyRow => {
    switch (row.kind) {
      case 'chat':
        return {
          ...row,
          on: settings['explanations.llm.enabled'],
          to: originOf(settings['explanations.llm.baseUrl'], OPENAI_ORIGIN),
        };
      case 'embeddings':
        return {
          ...row,
          on: source === 'endpoint',
          to: originOf(settings['embeddings.openai.baseUrl'], OPENAI_ORIGIN),
        };
      case 'covers':
        return { ...row, on: settings['covers.fromInternet'], to: facts.coverOrigin ?? COVERS_ORIGIN };
      case 'models':
        return {
          ...row,
          on: settings['embeddings.autoUpgrade'] || source === 'hub',
          to: facts.hubOrigin ?? HUB_ORIGIN,
        };
      case 'sync':
        return {
          ...row,
          on: settings['sync.enabled'],
          to: originOf(facts.syncServer ?? settings['sync.serverUrl'], row.recipient),
        };
    }
  });
}
