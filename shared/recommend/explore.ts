/**
 * Exploration: a few slots of each list go to a source chosen by Thompson sampling (Thompson 1933;
 * Chapelle & Li 2011, "An Empirical Evaluation of Thompson Sampling"). Each source's click-through
 * rate has a Beta(clicks + 1, impressions − clicks + 1) posterior (uniform prior); a draw from each
 * posterior picks the source, so a source with a clearly better record wins most draws while an
 * untried or unlucky one still gets shown now and then. It keeps the blend's weights honest and lets a
 * new source (or a reader's changing taste) be discovered. Draws use the repo's seeded generator,
 * so a list is reproducible from its seed.
 */

/** Impressions and clicks of one source, from the recommendation log. */
export interface SourceStats {
  impressions: number;
  clicks: number;
}

/** One slot of the final list. */
export interface ListItem<S extends string = string> {
  id: string;
  /** True for a slot filled by exploration. */
  exploratory: boolean;
  /** The source an exploratory item came from. */
  source?: S;
}

/**
 * Exploration slots per list by default: 2 of 10, an ε-share of 20%. Enough for a source's click
 * rate to be learned within a few sessions; few enough that the list stays mostly the best guesses.
 */
export const DEFAULT_EXPLORATION_SLOTS = 2;

/**
 * Where exploration slots go, as fractions of the list: positions 3 and 7 of 10. Never first (the top
 * slot is the most seen and should be the best guess), and apart, so the list does not look broken
 * when both miss.
 */
export const EXPLORATION_FRACTIONS = [0.3, 0.7] as const;

/** A standard normal draw (Box–Muller); 1 − u keeps the logarithm finite since u ∈ [0, 1). */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables"; for shape < 1 it draws Gamma(shape + 1) and scales by U^(1/shape), their boosting step.
 */
export function gammaSample(shape: number, random: () => number): number {
  if (!(shape > 0) || !Number.isFinite(shape))
    throw new RangeError(`gammaSample: shape must be positive (got ${shape})`);
  if (shape < 1) return gammaSample(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(a: number, b: number, random: () => number): number {
  const x = gammaSample(a, random);
  const y = gammaSample(b, random);
  return x / (x + y);
}

/** Stats made consistent: non-negative, clicks at most impressions (logs can race). */
function posterior(stats: SourceStats | undefined): [number, number] {
  const count = (value: number | undefined): number =>
    value !== undefined && Number.isFinite(value) ? Math.max(0, value) : 0;
  const impressions = count(stats?.impressions);
  const clicks = Math.min(impressions, count(stats?.clicks));
  return [clicks + 1, impressions - clicks + 1];
}

/**
 * One Thompson draw: samples each source's Beta posterior and returns the source with the highest
 * draw (sources visited in sorted order, so a seed gives the same pick whatever the key order). Null
 * when `sources` is empty.
 */
export function thompsonPick<S extends string>(
  sources: readonly S[],
  stats: Partial<Record<S, SourceStats>>,
  random: () => number,
): S | null {
  let best: S | null = null;
  let bestDraw = -Infinity;
  for (const source of [...sources].sort()) {
    const [a, b] = posterior(stats[source]);
    const draw = betaSample(a, b, random);
    if (draw > bestDraw) {
      best = source;
      bestDraw = draw;
    }
  }
  return best;
}

/** 0-based positions of `slots` exploration slots in a list of `k`: 3 and 7 of 10 for two slots. */
export function explorationPositions(k: number, slots: number): number[] {
  if (slots <= 0 || k <= 1) return [];
  const fractions =
    slots === 2
      ? EXPLORATION_FRACTIONS
      : Array.from({ length: slots }, (_, index) => (slots === 1 ? 0.5 : 0.3 + (0.4 * index) / (slots - 1)));
  // 1-based position round(f × k), never the first; the set drops collisions in short lists.
  const positions = fractions.map((fraction) => Math.min(k, Math.max(2, Math.round(fraction * k))) - 1);
  return [...new Set(positions)].slice(0, k - 1);
}

/** Input of {@link chooseExplorationSlots}. */
export interface ExplorationInput<S extends string> {
  /** Length of the final list. */
  k: number;
  /** The exploitation ranking, best first (e.g. after MMR); it fills the other slots. */
  ranked: readonly string[];
  /** Each source's own candidates, best first. */
  candidates: Partial<Record<S, readonly string[]>>;
  /** Each source's record; a missing source has the uniform prior. */
  stats: Partial<Record<S, SourceStats>>;
  /** Exploration slots; default {@link DEFAULT_EXPLORATION_SLOTS}. */
  slots?: number;
  /** 0-based positions, overriding {@link explorationPositions}. */
  positions?: readonly number[];
  /** Ids not to show again (e.g. shown in the last sessions). */
  shown?: ReadonlySet<string>;
  /** A generator of [0, 1), e.g. `seededRandom(seed)`. */
  random: () => number;
}

/**
 * The final list of up to `k` items: at each exploration position, Thompson sampling picks a source
 * among those with an unused candidate, and that source's best candidate not yet in the list nor
 * `shown` goes there, marked `exploratory`; the ranking fills the rest in order. Deterministic for a
 * given `random` sequence.
 */
export function chooseExplorationSlots<S extends string>(input: ExplorationInput<S>): ListItem<S>[] {
  const k = Math.max(0, Math.floor(input.k));
  const slots = input.slots ?? DEFAULT_EXPLORATION_SLOTS;
  const positions = new Set(
    (input.positions ?? explorationPositions(k, slots)).filter((p) => Number.isInteger(p) && p >= 0 && p < k),
  );
  const used = new Set<string>(input.shown ?? []);
  const exploit = input.ranked.filter((id) => !used.has(id));
  // Exploration must not take an item the exploitation part will show anyway.
  const reserved = new Set(exploit.slice(0, Math.max(0, k - positions.size)));
  const sources = (Object.keys(input.candidates) as S[]).filter((source) => input.candidates[source]);
  const nextOf = (source: S): string | undefined =>
    input.candidates[source]?.find((id) => !used.has(id) && !reserved.has(id));

  const list: ListItem<S>[] = [];
  let cursor = 0;
  for (let position = 0; position < k; position += 1) {
    if (positions.has(position)) {
      const open = sources.filter((source) => nextOf(source) !== undefined);
      const source = thompsonPick(open, input.stats, input.random);
      const id = source === null ? undefined : nextOf(source);
      if (source !== null && id !== undefined) {
        used.add(id);
        list.push({ id, exploratory: true, source });
        continue;
      }
    }
    while (cursor < exploit.length && used.has(exploit[cursor] as string)) cursor += 1;
    const id = exploit[cursor];
    if (id === undefined) continue;
    cursor += 1;
    used.add(id);
    list.push({ id, exploratory: false });
  }
  return list;
}
