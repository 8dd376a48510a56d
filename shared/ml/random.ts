/**
 * A small, fast, seeded generator of floats in [0, 1) (mulberry32 by Tommy Ettinger): the same seed
 * gives the same sequence on every platform, which Math.random cannot. Every seeded step of the ML
 * code (initialisation, splits, searches, synthetic data) draws from it.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
