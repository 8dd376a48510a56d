/**
 * ALS's serialised form, version 1, all little-endian: a 64-byte header (magic "LALS", version, factors,
 * users, items, nnz, iterations, cgSteps, seed as u32; regularization and alpha as f64), then user factors
 * and item factors (f32, row-major, `factors` wide), then the training CSR over users (indptr as i32 ×
 * users+1, item indices as i32 × nnz), which recommend needs to leave out the users' own items.
 */
import { AlsEngine } from './als-engine';
import type { AlsOptions } from './als-options';

const MAGIC = 0x534c414c; // "LALS" read as a little-endian u32
const VERSION = 1;
const HEADER = 64;

/**
 * Visits every user factor then every item factor in file order: `cell` is its index in the engine's
 * float memory (rows are `stride` wide), `at` its byte offset in the file. Returns the offset after them.
 */
function factorCells(layout: AlsEngine['layout'], visit: (cell: number, at: number) => void): number {
  const { users, items, factors, stride } = layout;
  let at = HEADER;
  for (const [start, rows] of [
    [layout.userFactors / 4, users],
    [layout.itemFactors / 4, items],
  ] as const)
    for (let row = 0; row < rows; row += 1)
      for (let factor = 0; factor < factors; factor += 1, at += 4) visit(start + row * stride + factor, at);
  return at;
}

/** Serialises a serving engine and its options. */
export function serializeModel(engine: AlsEngine, options: AlsOptions): Uint8Array {
  const layout = engine.layout;
  const { users, items, nnz, factors } = layout;
  const bytes = new Uint8Array(HEADER + 4 * ((users + items) * factors + users + 1 + nnz));
  const view = new DataView(bytes.buffer);
  [MAGIC, VERSION, factors, users, items, nnz, options.iterations, options.cgSteps, options.seed].forEach(
    (value, index) => view.setUint32(index * 4, value, true),
  );
  view.setFloat64(36, options.regularization, true);
  view.setFloat64(44, options.alpha, true);
  const floats = engine.floats;
  const ints = engine.ints;
  let offset = factorCells(layout, (cell, at) => view.setFloat32(at, floats[cell] as number, true));
  for (const [start, count] of [
    [layout.userIndptr / 4, users + 1],
    [layout.userIndices / 4, nnz],
  ] as const) {
    for (let index = 0; index < count; index += 1, offset += 4)
      view.setInt32(offset, ints[start + index] as number, true);
  }
  return bytes;
}

/** Reads `serializeModel`'s bytes back into a serving engine, checking sizes and the CSR. */
export function deserializeModel(bytes: Uint8Array): { options: AlsOptions; engine: AlsEngine } {
  const fail = (why: string): never => {
    throw new RangeError(`deserializeAls: ${why}`);
  };
  if (bytes.length < HEADER) fail('shorter than the header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (index: number): number => view.getUint32(index * 4, true);
  if (word(0) !== MAGIC) fail('not an ALS model');
  if (word(1) !== VERSION) fail(`version ${word(1)} is not supported (expected ${VERSION})`);
  const [factors, users, items, nnz, iterations, cgSteps, seed] = [2, 3, 4, 5, 6, 7, 8].map(word) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const options: AlsOptions = {
    factors,
    iterations,
    cgSteps,
    seed,
    regularization: view.getFloat64(36, true),
    alpha: view.getFloat64(44, true),
  };
  const expected = HEADER + 4 * ((users + items) * factors + users + 1 + nnz);
  if (factors < 1 || bytes.length !== expected) fail(`expected ${expected} bytes, got ${bytes.length}`);
  const engine = AlsEngine.create(
    { users, items, nnz, factors, slots: 1, training: false, longestRow: 0 },
    false,
  );
  const layout = engine.layout;
  const floats = engine.floats;
  const ints = engine.ints;
  let offset = factorCells(layout, (cell, at) => {
    floats[cell] = view.getFloat32(at, true);
  });
  const indptr = layout.userIndptr / 4;
  for (let index = 0; index <= users; index += 1, offset += 4) {
    const value = view.getInt32(offset, true);
    if (value < (index === 0 ? 0 : (ints[indptr + index - 1] as number)) || value > nnz)
      fail('the CSR is corrupt');
    ints[indptr + index] = value;
  }
  if (ints[indptr] !== 0 || ints[indptr + users] !== nnz) fail('the CSR is corrupt');
  const indices = layout.userIndices / 4;
  for (let index = 0; index < nnz; index += 1, offset += 4) {
    const value = view.getInt32(offset, true);
    if (value < 0 || value >= items) fail('the CSR is corrupt');
    ints[indices + index] = value;
  }
  engine.buildItemBlocks();
  engine.prepareFoldIn(options.regularization);
  return { options, engine };
}
