/**
 * Setting defaults, free of zod so the db worker can read settings without loading the validation
 * library (its import alone costs about 70 ms of every start-up).
 */
import type { SettingValues } from './settings';

/** Defaults used until a setting is set. */
export const SETTING_DEFAULTS: SettingValues = {
  mode: 'teacher',
  'sync.enabled': false,
  'sync.serverUrl': '',
  'backup.auto': true,
  'backup.keep': 7,
  'embeddings.model': 'lumin-glove-100d',
  'embeddings.autoUpgrade': true,
  'embeddings.openai.baseUrl': '',
  'recommend.diversity': 0.7,
  'recommend.excludedWarnings': [],
  'explanations.llm.enabled': false,
  'explanations.llm.baseUrl': '',
  'explanations.llm.model': 'gpt-4o-mini',
  'covers.fromInternet': false,
  'imports.maxFileBytes': 500 * 1024 * 1024,
  'backup.restoreMaxBytes': 0,
};
