/**
 * The popularity baseline, and the pieces every neighbourhood model here shares: top-k selection over a
 * dense score vector, the fitted user rows kept for `recommend`, and a small versioned binary codec.
 */
import { itemWeightTotals } from './matrix';
import type { InteractionMatrix, RecommendOptions, Recommender, Scored } from './recommender';

/**
 * The best `k` entries of `scores` (highest first, ties by lower index), skipping every index where
 * `skip[index]` is non-zero. NaN scores never win. A bounded min-heap keeps this O(n log k).
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: Uint8Array): Scored[] {
  if (k <= 0) return [];
  const heapItems = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  // "a is worse than b": lower score, or the same score and a higher index.
  const worse = (scoreA: number, itemA: number, scoreB: number, itemB: number) =>
    scoreA < scoreB || (scoreA === scoreB && itemA > itemB);
  const siftDown = (start: number) => {
    let parent = start;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= size) return;
      const right = left + 1;
      let child = left;
      if (
        right < size &&
        worse(
          heapScores[right] as number,
          heapItems[right] as number,
          heapScores[left] as number,
          heapItems[left] as number,
        )
      )
        child = right;
      if (
        !worse(
          heapScores[child] as number,
          heapItems[child] as number,
          heapScores[parent] as number,
          heapItems[parent] as number,
        )
      )
        return;
      swap(parent, child);
      parent = child;
    }
  };
  const swap = (a: number, b: number) => {
    const item = heapItems[a] as number;
    const score = heapScores[a] as number;
    heapItems[a] = heapItems[b] as number;
    heapScores[a] = heapScores[b] as number;
    heapItems[b] = item;
    heapScores[b] = score;
  };
  for (let item = 0; item < scores.length; item += 1) {
    if (skip && skip[item]) continue;
    const raw = scores[item] as number;
    const score = Number.isNaN(raw) ? -Infinity : raw;
    if (size < k) {
      heapItems[size] = item;
      heapScores[size] = score;
      size += 1;
      for (let child = size - 1; child > 0;) {
        const parent = (child - 1) >> 1;
        if (
          !worse(
            heapScores[child] as number,
            heapItems[child] as number,
            heapScores[parent] as number,
            heapItems[parent] as number,
          )
        )
          break;
        swap(child, parent);
        child = parent;
      }
    } else if (worse(heapScores[0] as number, heapItems[0] as number, score, item)) {
      heapItems[0] = item;
      heapScores[0] = score;
      siftDown(0);
    }
  }
  const result: Scored[] = [];
  for (let index = 0; index < size; index += 1)
    result.push({ item: heapItems[index] as number, score: heapScores[index] as number });
  return result.sort((a, b) => b.score - a.score || a.item - b.item);
}

/** The fitted user rows (CSR), which item-based models keep so `recommend(user)` can score a user. */
export interface UserRows {
  users: number;
  items: number;
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/** Copies the user side of `matrix`, so later changes to the caller's arrays cannot touch the model. */
export function userRowsOf(matrix: InteractionMatrix): UserRows {
  return {
    users: matrix.users,
    items: matrix.items,
    indptr: matrix.userIndptr.slice(),
    indices: matrix.userIndices.slice(),
    weights: matrix.userWeights.slice(),
  };
}

/** Items and weights of fitted user `user`; throws a RangeError naming the model when out of range. */
export function userRow(
  rows: UserRows,
  user: number,
  model: string,
): { items: Int32Array; weights: Float32Array } {
  if (!Number.isInteger(user) || user < 0 || user >= rows.users)
    throw new RangeError(
      `${model}.recommend: user ${user} is not in the fitted matrix (0..${rows.users - 1})`,
    );
  const start = rows.indptr[user] as number;
  const end = rows.indptr[user + 1] as number;
  return { items: rows.indices.subarray(start, end), weights: rows.weights.subarray(start, end) };
}

/** A mask of the items never to return: the user's own items and `options.exclude`. */
export function skipMask(items: number, own: ArrayLike<number>, options: RecommendOptions): Uint8Array {
  const skip = new Uint8Array(items);
  for (let index = 0; index < own.length; index += 1) {
    const item = own[index] as number;
    if (item >= 0 && item < items) skip[item] = 1;
  }
  if (options.exclude) for (const item of options.exclude) if (item >= 0 && item < items) skip[item] = 1;
  return skip;
}

/** Throws unless the model was fitted (or deserialised). */
export function assertFitted<T>(state: T | null, model: string): T {
  if (state === null) throw new Error(`${model}: call fit() (or deserialize) before recommending`);
  return state;
}

/**
 * `recommend` and `recommendFor` for a model that scores every item from a user's items and weights
 * (item-kNN, EASE): both exclude the user's items and `options.exclude`, and both score the same way.
 */
export function scoringMethods<State extends { rows: UserRows }>(
  model: string,
  fitted: () => State | null,
  score: (state: State, items: ArrayLike<number>, weights: ArrayLike<number>) => ArrayLike<number>,
): Pick<Recommender, 'recommend' | 'recommendFor'> {
  return {
    recommend(user, options) {
      const state = assertFitted(fitted(), model);
      const own = userRow(state.rows, user, model);
      return topK(
        score(state, own.items, own.weights),
        options.k,
        skipMask(state.rows.items, own.items, options),
      );
    },
    recommendFor(items, weights, options) {
      const state = assertFitted(fitted(), model);
      return topK(score(state, items, weights), options.k, skipMask(state.rows.items, items, options));
    },
  };
}

const MAGIC = 'LUMINML1';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** ASCII bytes of `text` (model names and the magic are ASCII, so a byte count is a length). */
export function asciiBytes(text: string): Uint8Array {
  // eslint-disable-next-line no-control-regex -- the ASCII range is the point
  if (/[^\u0000-\u007f]/.test(text)) throw new RangeError(`not ASCII: ${JSON.stringify(text)}`);
  return encoder.encode(text);
}

/** The text of ASCII `bytes`. */
export function asciiText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
/** Written as a u32 in native order; reading it back another way round means the other endianness. */
const BYTE_ORDER_MARK = 0x01020304;

type NumberArray = Int32Array | Float32Array | Float64Array | Uint8Array;

const KINDS = [Int32Array, Float32Array, Float64Array, Uint8Array] as const;

/**
 * A versioned container: magic, byte-order mark, model name, format version, numeric header fields and
 * typed arrays. Arrays are copied as raw bytes (native order), so the byte-order mark guards reading.
 */
export function encodeModel(
  name: string,
  version: number,
  header: number[],
  arrays: NumberArray[],
): Uint8Array {
  const nameBytes = asciiBytes(name);
  let size = 8 + 4 + 4 + nameBytes.length + 4 + 4 + header.length * 8 + 4;
  for (const array of arrays) size += 8 + array.byteLength;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  bytes.set(asciiBytes(MAGIC), 0);
  offset += 8;
  new Uint32Array(bytes.buffer, offset, 1)[0] = BYTE_ORDER_MARK;
  offset += 4;
  view.setUint32(offset, nameBytes.length, true);
  offset += 4;
  bytes.set(nameBytes, offset);
  offset += nameBytes.length;
  view.setUint32(offset, version, true);
  offset += 4;
  view.setUint32(offset, header.length, true);
  offset += 4;
  for (const value of header) {
    view.setFloat64(offset, value, true);
    offset += 8;
  }
  view.setUint32(offset, arrays.length, true);
  offset += 4;
  for (const array of arrays) {
    view.setUint32(
      offset,
      KINDS.findIndex((kind) => array instanceof kind),
      true,
    );
    view.setUint32(offset + 4, array.length, true);
    offset += 8;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return bytes;
}

/** Reads what `encodeModel` wrote, checking the magic, byte order, model name and version. */
export function decodeModel(
  bytes: Uint8Array,
  name: string,
  version: number,
): { header: number[]; arrays: NumberArray[] } {
  const where = `deserialize ${name}`;
  const fail = (reason: string): never => {
    throw new Error(`${where}: ${reason}`);
  };
  const need = (offset: number, length: number) => {
    if (offset + length > bytes.length) fail('the bytes are truncated');
  };
  need(0, 16);
  if (asciiText(bytes.subarray(0, 8)) !== MAGIC) fail('not a Lumin model');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new Uint32Array(bytes.slice(8, 12).buffer)[0] !== BYTE_ORDER_MARK)
    fail('written on a machine of the other byte order');
  let offset = 12;
  const nameLength = view.getUint32(offset, true);
  offset += 4;
  need(offset, nameLength + 8);
  const found = asciiText(bytes.subarray(offset, offset + nameLength));
  if (found !== name) fail(`this is a '${found}' model`);
  offset += nameLength;
  const foundVersion = view.getUint32(offset, true);
  if (foundVersion !== version) fail(`format version ${foundVersion} is not supported (expected ${version})`);
  const headerLength = view.getUint32(offset + 4, true);
  offset += 8;
  need(offset, headerLength * 8 + 4);
  const header: number[] = [];
  for (let index = 0; index < headerLength; index += 1)
    header.push(view.getFloat64(offset + index * 8, true));
  offset += headerLength * 8;
  const count = view.getUint32(offset, true);
  offset += 4;
  const arrays: NumberArray[] = [];
  for (let index = 0; index < count; index += 1) {
    need(offset, 8);
    const kind = view.getUint32(offset, true);
    const length = view.getUint32(offset + 4, true);
    offset += 8;
    const Kind = KINDS[kind];
    if (!Kind) return fail(`array ${index} has an unknown element type ${kind}`);
    const width = Kind.BYTES_PER_ELEMENT;
    need(offset, length * width);
    // slice() copies into a fresh, aligned buffer.
    arrays.push(new Kind(bytes.slice(offset, offset + length * width).buffer));
    offset += length * width;
  }
  return { header, arrays };
}

/** Typed accessors over decoded arrays, failing clearly when the layout is not what the model wrote. */
export function arrayAt<T extends NumberArray>(
  arrays: NumberArray[],
  index: number,
  kind: new (length: number) => T,
  name: string,
): T {
  const array = arrays[index];
  if (!(array instanceof kind))
    throw new Error(`deserialize ${name}: array ${index} is missing or malformed`);
  return array;
}

interface PopularityState {
  rows: UserRows;
  /** Sum of weights per item (the number of users when weights are 1). */
  counts: Float64Array;
}

const POPULARITY_VERSION = 1;

function popularity(initial: PopularityState | null): Recommender {
  let state = initial;
  return {
    name: 'pop',
    fit(matrix) {
      state = { rows: userRowsOf(matrix), counts: itemWeightTotals(matrix) };
    },
    recommend(user, options) {
      const fitted = assertFitted(state, 'pop');
      const own = userRow(fitted.rows, user, 'pop');
      return topK(fitted.counts, options.k, skipMask(fitted.rows.items, own.items, options));
    },
    recommendFor(items, _weights, options) {
      const fitted = assertFitted(state, 'pop');
      return topK(fitted.counts, options.k, skipMask(fitted.rows.items, items, options));
    },
    similarItems(item, k) {
      // A non-personalised model has no notion of similarity: the most popular other items.
      const fitted = assertFitted(state, 'pop');
      return topK(fitted.counts, k, skipMask(fitted.rows.items, [item], { k }));
    },
    serialize() {
      const fitted = assertFitted(state, 'pop');
      const { rows } = fitted;
      return encodeModel(
        'pop',
        POPULARITY_VERSION,
        [rows.users, rows.items],
        [rows.indptr, rows.indices, rows.weights, fitted.counts],
      );
    },
  };
}

/**
 * Most-popular baseline: every user gets the items with the largest total weight (the most users when
 * weights are 1), minus their own. No hyper-parameters; the floor any personalised model must beat.
 */
export function createPopularity(): Recommender {
  return popularity(null);
}

/** Restores a popularity model from `serialize()`. */
export function deserializePopularity(bytes: Uint8Array): Recommender {
  const { header, arrays } = decodeModel(bytes, 'pop', POPULARITY_VERSION);
  const rows: UserRows = {
    users: header[0] ?? 0,
    items: header[1] ?? 0,
    indptr: arrayAt(arrays, 0, Int32Array, 'pop'),
    indices: arrayAt(arrays, 1, Int32Array, 'pop'),
    weights: arrayAt(arrays, 2, Float32Array, 'pop'),
  };
  return popularity({ rows, counts: arrayAt(arrays, 3, Float64Array, 'pop') });
}
