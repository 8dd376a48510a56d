/**
 * Known settings and their validation (their defaults are in setting-defaults.ts). Unknown keys are
 * refused so a typo never silently stores a setting nothing reads.
 */
import { z } from 'zod';

/** Schema of every setting's value, keyed by setting name. */
export const SETTINGS_SCHEMAS = {
  /** `teacher` shows rosters; `reader` recommends for the single self reader. */
  mode: z.enum(['teacher', 'reader']),
  /** Share pseudonymous interactions with the sync server. Off by default: student data is private. */
  'sync.enabled': z.boolean(),
  /** Sync server base URL. */
  'sync.serverUrl': z.union([z.url({ protocol: /^https?$/ }), z.literal('')]),
  /** Take an automatic backup at most once a day. */
  'backup.auto': z.boolean(),
  /** How many automatic backups to keep. */
  'backup.keep': z.int().min(1).max(365),
  /**
   * The active embedding model (see shared/embed/models.ts). Change it with `models.use`, which
   * computes the new vectors in the background first; setting it here directly is refused.
   */
  'embeddings.model': z.string().trim().min(1).max(500),
  /**
   * The desktop app starts on the bundled model and, once online, downloads all-MiniLM-L6-v2 and
   * switches to it in the background. Off: stay on whatever model is active.
   */
  'embeddings.autoUpgrade': z.boolean(),
  /** MMR's λ for recommendation lists: 1 ranks by relevance only, lower values mix in more variety. */
  'recommend.diversity': z.number().min(0).max(1),
  /** Content warnings never recommended to anyone (matched as whole words, any case), e.g. ["violence"]. */
  'recommend.excludedWarnings': z.array(z.string().trim().min(1).max(80)).max(100),
  /** Explain recommendations with an LLM (when `explain` is asked); off: template sentences only. */
  'explanations.llm.enabled': z.boolean(),
  /** The chat endpoint for explanations ('' = OpenAI; Ollama: http://localhost:11434/v1). */
  'explanations.llm.baseUrl': z.union([z.url({ protocol: /^https?$/ }), z.literal('')]),
  /** The chat model for explanations. */
  'explanations.llm.model': z.string().trim().min(1).max(200),
  /** Base URL of the OpenAI-compatible endpoint ('' = OpenAI; Ollama: http://localhost:11434/v1). */
  'embeddings.openai.baseUrl': z.union([z.url({ protocol: /^https?$/ }), z.literal('')]),
  /** Fetch covers by ISBN from the cover hosts (Open Library) into the data folder. Off: no cover requests. */
  'covers.fromInternet': z.boolean(),
  /** The largest import file Lumin reads, in bytes (default 500 MB); a larger one is refused whole. */
  'imports.maxFileBytes': z.int().min(1024).max(Number.MAX_SAFE_INTEGER),
  /**
   * The most bytes a backup may expand to on restore; 0 = 10 × the library size (the current database
   * folder, or the backup file when there is none). A larger backup is refused, nothing replaced.
   */
  'backup.restoreMaxBytes': z.int().min(0).max(Number.MAX_SAFE_INTEGER),
} as const;

/** A known setting key. */
export type SettingKey = keyof typeof SETTINGS_SCHEMAS;

/** The value type of each setting. */
export type SettingValues = { [K in SettingKey]: z.infer<(typeof SETTINGS_SCHEMAS)[K]> };

/** All known keys, for listings and validation messages. */
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMAS) as SettingKey[];
