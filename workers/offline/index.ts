/**
 * What the CLI's `offline-recs` and `eval` commands use: the offline tools work on files, not on a
 * library, so they run in the command's own process instead of through the core (no data directory,
 * no lock, no database worker). The CLI imports workers/offline only through this module.
 */
export {
  type EvaluationReport,
  type OfflineAlgorithm,
  OFFLINE_ALGORITHMS,
  evaluate,
  offlineRecs,
} from './offline';
export { type HybridEvalReport, COLD_GROUPS, HYBRID_METHODS, runHybridEval } from './hybrid-eval';
