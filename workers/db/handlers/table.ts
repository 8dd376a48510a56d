/**
 * Every handler of the db worker, one table keyed by the registry's names (shared/contract/methods.ts):
 * `satisfies DbHandlers` makes a missing or extra handler a type error.
 */
import { analyticsHandlers } from './analytics';
import { bookHandlers } from './books';
import { embeddingHandlers } from './embeddings';
import { explanationHandlers, llmLevelHandlers } from './llm-cache';
import { impressionHandlers } from './impressions';
import { importHandlers } from './imports';
import { interactionHandlers } from './interactions';
import { jobHandlers } from './jobs';
import { readerPrivacyHandlers } from './reader-privacy';
import { classHandlers, readerHandlers } from './readers';
import { recommendHandlers } from './recommend';
import { drainHandlers, scheduleHandlers } from './schedule';
import { settingHandlers } from './settings';
import { backupHandlers, statusHandlers } from './status';
import type { DbHandlers } from './types';
import { embedQueueHandlers } from '../embeddings/runner-api';
import { syncStoreHandlers } from '../sync/runner-api';

export const dbHandlers = {
  ...statusHandlers,
  ...bookHandlers,
  ...classHandlers,
  ...readerHandlers,
  ...readerPrivacyHandlers,
  ...interactionHandlers,
  ...settingHandlers,
  ...jobHandlers,
  ...drainHandlers,
  ...backupHandlers,
  ...importHandlers,
  ...embeddingHandlers,
  ...recommendHandlers,
  ...analyticsHandlers,
  ...embedQueueHandlers,
  ...syncStoreHandlers,
  ...scheduleHandlers,
  ...impressionHandlers,
  ...llmLevelHandlers,
  ...explanationHandlers,
} satisfies DbHandlers;
