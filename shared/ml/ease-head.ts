/**
 * EASE^R past its exact range: when both items and users exceed `maxItems`, the model is fitted on the
 * `maxItems` most-read items only (the head, where EASE's co-occurrence statistics are reliable) and the
 * tail is left to the models `auto` blends it with — the "EASE on the head items plus ALS for the tail"
 * split: EASE^R (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW) on the head and
 * implicit ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets", ICDM)
 * on everything, combined by `blend.ts` with weights chosen on validation folds. Memory and time are
 * those of a `maxItems` catalogue whatever the real size.
 */
import type { ItemGraph } from './item-graph';
import { buildMatrix } from './matrix';
import type { InteractionMatrix } from './recommender';

/** The `size` items read by the most users (ties by lower index), in ascending index order. */
export function headItems(matrix: InteractionMatrix, size: number): Int32Array {
  const order = Array.from({ length: matrix.items }, (_, item) => item);
  const degree = (item: number) =>
    (matrix.itemIndptr[item + 1] as number) - (matrix.itemIndptr[item] as number);
  order.sort((a, b) => degree(b) - degree(a) || a - b);
  return Int32Array.from(order.slice(0, size)).sort();
}

/** `matrix` with only the `head` columns, renumbered 0..head.length − 1 in the same order. */
export function restrictColumns(matrix: InteractionMatrix, head: Int32Array): InteractionMatrix {
  const position = new Int32Array(matrix.items).fill(-1);
  head.forEach((item, index) => {
    position[item] = index;
  });
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let user = 0; user < matrix.users; user += 1)
    for (
      let entry = matrix.userIndptr[user] as number;
      entry < (matrix.userIndptr[user + 1] as number);
      entry += 1
    ) {
      const column = position[matrix.userIndices[entry] as number] as number;
      if (column < 0) continue;
      users.push(user);
      items.push(column);
      weights.push(matrix.userWeights[entry] as number);
    }
  return buildMatrix({ users, items, weights }, matrix.users, head.length);
}

/** A graph over the head's indices as a graph over all `items` (tail items have no neighbours). */
export function widenGraph(graph: ItemGraph, head: Int32Array, items: number): ItemGraph {
  const indptr = new Int32Array(items + 1);
  for (let index = 0; index < head.length; index += 1) {
    const item = head[index] as number;
    indptr[item + 1] = (graph.indptr[index + 1] as number) - (graph.indptr[index] as number);
  }
  for (let item = 0; item < items; item += 1)
    indptr[item + 1] = (indptr[item + 1] as number) + (indptr[item] as number);
  const indices = new Int32Array(graph.indices.length);
  const weights = new Float32Array(graph.weights.length);
  for (let index = 0; index < head.length; index += 1) {
    const from = graph.indptr[index] as number;
    const to = graph.indptr[index + 1] as number;
    const at = indptr[head[index] as number] as number;
    for (let entry = from; entry < to; entry += 1) {
      indices[at + entry - from] = head[graph.indices[entry] as number] as number;
      weights[at + entry - from] = graph.weights[entry] as number;
    }
  }
  return { items, side: graph.side, indptr, indices, weights };
}
