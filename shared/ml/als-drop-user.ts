/**
 * Removes one user from a serialised ALS model (als-format.ts, version 1) without retraining: their
 * factor row, their training row of the CSR and their count in the header go; every other user keeps
 * its factors and its place after a shift by one. Used when a reader is erased, so their row of the
 * collaborative model is gone at once rather than at the next nightly retrain.
 */

const HEADER = 64;

/** The bytes of `model` without user `user` (0-based). Throws a RangeError on an index out of range. */
export function dropAlsUser(model: Uint8Array, user: number): Uint8Array {
  const view = new DataView(model.buffer, model.byteOffset, model.byteLength);
  const word = (index: number) => view.getUint32(index * 4, true);
  const [factors, users, items, nnz] = [word(2), word(3), word(4), word(5)];
  if (!(Number.isInteger(user) && user >= 0 && user < users))
    throw new RangeError(`dropAlsUser: user ${user} is not in 0..${users - 1}`);
  const userFactors = HEADER;
  const itemFactors = userFactors + 4 * users * factors;
  const indptr = itemFactors + 4 * items * factors;
  const indices = indptr + 4 * (users + 1);
  const end = indices + 4 * nnz;
  if (end !== model.byteLength)
    throw new RangeError(`dropAlsUser: expected ${end} bytes, got ${model.byteLength}`);
  const pointer = (index: number) => view.getInt32(indptr + 4 * index, true);
  const rowStart = pointer(user);
  const rowEnd = pointer(user + 1);
  const removed = rowEnd - rowStart;

  const out = new Uint8Array(model.byteLength - 4 * (factors + 1 + removed));
  const outView = new DataView(out.buffer);
  let offset = 0;
  const copy = (from: number, to: number) => {
    out.set(model.subarray(from, to), offset);
    offset += to - from;
  };
  copy(0, HEADER);
  outView.setUint32(3 * 4, users - 1, true);
  outView.setUint32(5 * 4, nnz - removed, true);
  copy(userFactors, userFactors + 4 * user * factors);
  copy(userFactors + 4 * (user + 1) * factors, indptr);
  for (let index = 0; index <= users; index += 1) {
    if (index === user + 1) continue;
    const value = pointer(index);
    outView.setInt32(offset, index > user ? value - removed : value, true);
    offset += 4;
  }
  copy(indices, indices + 4 * rowStart);
  copy(indices + 4 * rowEnd, end);
  return out;
}
