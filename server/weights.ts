/** The ALS confidence weights the server trains with: the device's own (shared/recommend/evidence.ts). */
export {
  CF_WEIGHTS as SERVER_CF_WEIGHTS,
  EVIDENCE_WEIGHT_SQL,
  evidenceWeight,
} from '../shared/recommend/evidence';
