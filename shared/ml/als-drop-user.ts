/**
 * Removes one user from a serialised ALS model (als-format.ts, version 1) without retraining: their
 * factor row, their training row of the CSR and their count in the header go; every other user keeps
 * its factors and its place after a shift by one. Used when a reader is erased, so their row of the
 * collaborative model is gone at once rather than at the next nightly retrain.
 *
 * {@link dropAlsUserPlan} needs only the 64-byte header and the row pointers: the caller (the
 * database, for a stored model) joins the kept blocks of the old bytes around the new header and
 * pointers, so a 25 MB model never has to be copied out and back.
 */

const HEADER = 64;

/** Where the parts of a serialised model start (byte offsets) and its sizes. */
export interface AlsLayout {
  factors: number;
  users: number;
  items: number;
  nnz: number;
  itemFactors: number;
  indptr: number;
  indices: number;
  end: number;
}

/** The layout described by a model's first 64 bytes. */
export function alsLayout(head: Uint8Array): AlsLayout {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const word = (index: number) => view.getUint32(index * 4, true);
  const [factors, users, items, nnz] = [word(2), word(3), word(4), word(5)];
  const itemFactors = HEADER + 4 * users * factors;
  const indptr = itemFactors + 4 * items * factors;
  const indices = indptr + 4 * (users + 1);
  return { factors, users, items, nnz, itemFactors, indptr, indices, end: indices + 4 * nnz };
}

/** How to cut user `user` out: a new header, new row pointers, and the kept blocks `[from, length]`. */
export interface AlsCut {
  head: Uint8Array;
  indptr: Uint8Array;
  /** Factors before the row, factors after it (item factors included), indices before, indices after. */
  blocks: [[number, number], [number, number], [number, number], [number, number]];
}

/** Plans the removal of `user` (0-based) from the model with header `head` and row pointers `pointers`. */
export function dropAlsUserPlan(head: Uint8Array, pointers: Uint8Array, user: number): AlsCut {
  const layout = alsLayout(head);
  const { factors, users, nnz } = layout;
  if (!(Number.isInteger(user) && user >= 0 && user < users))
    throw new RangeError(`dropAlsUser: user ${user} is not in 0..${users - 1}`);
  if (pointers.byteLength !== 4 * (users + 1))
    throw new RangeError(`dropAlsUser: expected ${4 * (users + 1)} bytes of row pointers`);
  const read = new DataView(pointers.buffer, pointers.byteOffset, pointers.byteLength);
  const pointer = (index: number) => read.getInt32(4 * index, true);
  const rowStart = pointer(user);
  const rowEnd = pointer(user + 1);
  const removed = rowEnd - rowStart;
  const newHead = Uint8Array.from(head.subarray(0, HEADER));
  const headView = new DataView(newHead.buffer);
  headView.setUint32(3 * 4, users - 1, true);
  headView.setUint32(5 * 4, nnz - removed, true);
  const indptr = new Uint8Array(4 * users);
  const write = new DataView(indptr.buffer);
  for (let index = 0, at = 0; index <= users; index += 1) {
    if (index === user + 1) continue;
    write.setInt32(at, index > user ? pointer(index) - removed : pointer(index), true);
    at += 4;
  }
  const rowFrom = HEADER + 4 * user * factors;
  const rowTo = rowFrom + 4 * factors;
  return {
    head: newHead,
    indptr,
    blocks: [
      [HEADER, rowFrom - HEADER],
      [rowTo, layout.indptr - rowTo],
      [layout.indices, 4 * rowStart],
      [layout.indices + 4 * rowEnd, 4 * (nnz - rowEnd)],
    ],
  };
}

/** The bytes of `model` without user `user` (0-based). Throws a RangeError on an index out of range. */
export function dropAlsUser(model: Uint8Array, user: number): Uint8Array {
  const layout = alsLayout(model);
  if (layout.end !== model.byteLength)
    throw new RangeError(`dropAlsUser: expected ${layout.end} bytes, got ${model.byteLength}`);
  const cut = dropAlsUserPlan(
    model,
    model.subarray(layout.indptr, layout.indptr + 4 * (layout.users + 1)),
    user,
  );
  const [a, b, c, d] = cut.blocks;
  const parts = [
    cut.head,
    model.subarray(a[0], a[0] + a[1]),
    model.subarray(b[0], b[0] + b[1]),
    cut.indptr,
    model.subarray(c[0], c[0] + c[1]),
    model.subarray(d[0], d[0] + d[1]),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
