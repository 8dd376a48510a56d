/**
 * The search's unit of work: a configuration to try, and the fold tasks `tune` hands to an executor
 * (in order in this thread, or on worker threads: workers/offline/tune-pool.ts) with their results.
 */
import type { AlgorithmName, RecommenderOptions } from './registry';

/** One configuration to try. */
export interface Candidate {
  algo: AlgorithmName;
  options: RecommenderOptions;
}

/** Work on one validation fold, which `tune` hands to an executor (in order here, or on worker threads). */
export type FoldTask =
  | { kind: 'candidates'; fold: number; candidates: Candidate[] }
  | { kind: 'blends'; fold: number; members: Candidate[]; weightings: number[][] };

/** NDCG@k on the fold of each candidate (or weighting), with fit seconds for candidates. */
export interface FoldTaskResult {
  ndcg: number[];
  fitSeconds: number[];
  /** Validation users of the fold. */
  users: number;
}

/** Runs fold tasks and resolves to their results in the same order. */
export type FoldExecutor = (tasks: FoldTask[]) => Promise<FoldTaskResult[]>;
