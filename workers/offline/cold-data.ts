/**
 * The data of `lumin eval --cold` (workers/offline/hybrid-eval.ts): MovieLens-100K's catalogue u.item
 * embedded with the bundled model, each user's positives from u.data (films stand in for books: there
 * is no public book interaction data with text), the split of users and their evaluation cases.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LuminFailure } from '../../shared/contract/errors';
import { BUNDLED_MODEL_ID, parseModelId } from '../../shared/embed/models';
import { bundledModelsDir } from '../db/layout';
import { seededRandom } from '../../shared/ml/random';
import { readInteractions } from './offline';

/** The ML-100K genre columns of u.item, in order; `unknown` is left out of the text (it says nothing). */
const GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama',
  'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
]; // prettier-ignore

/** A positive is a rating of at least this (and the nightly job gives 4+ the weight of a finish, 3). */
export const POSITIVE_RATING = 4;

/** A user's positive: an item index of the catalogue and its rating. */
export interface Positive {
  item: number;
  rating: number;
}

/** u.item: `id|title|release|video|url|19 genre flags`, Latin-1. Returns ids and "Title. Genres." texts. */
export function readCatalogue(path: string): { ids: string[]; texts: string[] } {
  let raw: string;
  try {
    raw = readFileSync(path, 'latin1');
  } catch (error) {
    throw new LuminFailure('not_found', `${path}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const ids: string[] = [];
  const texts: string[] = [];
  raw.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = line.replace(/\r$/, '').split('|');
    const flags = fields.slice(-GENRES.length);
    if (fields.length < 2 + GENRES.length || flags.some((flag) => flag !== '0' && flag !== '1'))
      throw new LuminFailure(
        'invalid_argument',
        `${path}: line ${index + 1} is not id|title|…|19 genre flags`,
      );
    const genres = GENRES.filter((name, column) => flags[column] === '1' && name !== 'unknown');
    ids.push(fields[0] as string);
    texts.push(`${fields[1]}.${genres.length ? ` ${genres.join(', ')}.` : ''}`);
  });
  return { ids, texts };
}

/** Embeds every catalogue text with the bundled model through the app's transformers.js pipeline. */
export async function embedCatalogue(texts: readonly string[]): Promise<Float32Array[]> {
  const parsed = parseModelId(BUNDLED_MODEL_ID);
  if (!('spec' in parsed)) throw new Error(parsed.error);
  // The bundled model loads with remote access off; the cache folder exists only because the API wants one.
  const cacheDir = mkdtempSync(join(tmpdir(), 'lumin-hybrid-eval-'));
  try {
    // Loaded here: transformers.js takes ~150 ms to import, and only `lumin eval --cold` needs it.
    const { createTransformersProvider } = await import('../embed/transformers-provider');
    const provider = await createTransformersProvider(parsed.spec, {
      bundledDir: bundledModelsDir(),
      cacheDir,
      markerPath: (repo, revision) => join(cacheDir, repo, revision, '.lumin-complete'),
    });
    const vectors = await provider.embed(texts);
    await provider.dispose?.();
    return vectors;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Each user's positives (rating ≥ 4), items as indices of the catalogue (u.item order). */
export function readPositives(data: string, itemsPath: string, catalogue: readonly string[]): Positive[][] {
  const itemIndex = new Map(catalogue.map((id, index) => [id, index]));
  const parsed = readInteractions(data);
  const { users, userIndptr, userIndices, userWeights } = parsed.matrix;
  return Array.from({ length: users }, (_, user) => {
    const list: Positive[] = [];
    for (let entry = userIndptr[user] as number; entry < (userIndptr[user + 1] as number); entry += 1) {
      const id = parsed.itemIds[userIndices[entry] as number] as string;
      const item = itemIndex.get(id);
      if (item === undefined)
        throw new LuminFailure('invalid_argument', `${data}: item ${id} is not in ${itemsPath}`);
      const rating = userWeights[entry] as number;
      if (rating >= POSITIVE_RATING) list.push({ item, rating });
    }
    return list;
  });
}

/** Cold groups: kept positives n = 1..4, and all of them pooled (each (user, n) case counts once). */
export const COLD_GROUPS = ['1', '2', '3', '4', 'all'] as const;
export type ColdGroup = (typeof COLD_GROUPS)[number];
const COLD_SIZES = [1, 2, 3, 4] as const;
/** Fewest positives of a test user: n = 4 kept must leave one to hold out. */
const MIN_POSITIVES = 5;
const WARM_KEPT = 20;

/** One evaluation: a user reduced to `kept`, scored against `held`. */
export interface Case {
  group: ColdGroup | 'warm';
  kept: Positive[];
  held: Set<number>;
}

/** Shuffles `values` in place (Fisher–Yates) with `random`. */
export function shuffle<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
  return values;
}

/** Evaluation cases of `users`: cold at n = 1..4, and (with `warm`) 80/20 for users with ≥ 25 positives. */
export function casesOf(orders: readonly Positive[][], users: readonly number[], warm: boolean): Case[] {
  const cases: Case[] = [];
  for (const user of users) {
    const order = orders[user] ?? [];
    const held = (from: number) => new Set(order.slice(from).map((positive) => positive.item));
    for (const n of COLD_SIZES)
      cases.push({ group: String(n) as ColdGroup, kept: order.slice(0, n), held: held(n) });
    const keep = Math.round(0.8 * order.length);
    if (warm && keep >= WARM_KEPT && keep < order.length)
      cases.push({ group: 'warm', kept: order.slice(0, keep), held: held(keep) });
  }
  return cases;
}

/** Test, training and validation users; the validation users are training users (see the protocol). */
export function splitUsers(positives: readonly Positive[][], seed: number, share: number) {
  const count = (user: number) => (positives[user] as Positive[]).length;
  const everyone = positives.map((_, user) => user).filter((user) => count(user) > 0);
  const pick = (users: number[], salt: number) => {
    const eligible = shuffle(
      users.filter((user) => count(user) >= MIN_POSITIVES),
      seededRandom(seed + salt),
    );
    return new Set(eligible.slice(0, Math.round(share * eligible.length)));
  };
  const test = pick(everyone, 1);
  const training = everyone.filter((user) => !test.has(user));
  const validation = pick(training, 2);
  if (test.size === 0 || validation.size === 0 || training.length === validation.size)
    throw new LuminFailure('invalid_argument', `too few users with ${MIN_POSITIVES}+ ratings ≥ 4`);
  return { test, training, validation };
}
