/**
 * A small hand-written ONNX writer: just enough of the protobuf wire format and of onnx.proto3
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto with raw_data, ValueInfoProto) to
 * emit static graphs such as an embedding lookup. It exists because the build machines reach only the
 * npm registry: there is no Python `onnx` package to lean on, and no maintained npm package writes ONNX.
 *
 * Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3. Fields are written in
 * a fixed order and nothing depends on the clock or on map iteration order, so the same model always
 * encodes to the same bytes.
 */

/** Element types this writer supports, named as onnxruntime-node names them. */
export type ElementType = 'float32' | 'float16' | 'uint8' | 'int8' | 'int32' | 'int64';

/** TensorProto.DataType codes. */
const DATA_TYPE: Record<ElementType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  float16: 10,
};

/** Bytes per element, to check raw_data lengths before writing a model onnxruntime would reject. */
const ELEMENT_SIZE: Record<ElementType, number> = {
  float32: 4,
  uint8: 1,
  int8: 1,
  int32: 4,
  int64: 8,
  float16: 2,
};

/** Returns the TensorProto.DataType code of an element type (e.g. for Cast's `to` attribute). */
export function dataTypeCode(type: ElementType): number {
  return DATA_TYPE[type];
}

/** A constant tensor; `data` holds the little-endian element bytes, stored as raw_data. */
export interface TensorSpec {
  name: string;
  type: ElementType;
  dims: number[];
  data: Uint8Array;
}

/** A node attribute value: int, float, string, list of ints, or a tensor. */
export type AttributeValue = number | { float: number } | string | number[] | TensorSpec;

/** One operator in the graph (default ONNX domain). */
export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A graph input or output: a tensor whose dims are numbers (fixed) or strings (symbolic). */
export interface ValueInfoSpec {
  name: string;
  type: ElementType;
  shape: (number | string)[];
}

/** A whole model: one graph, the default-domain opset it targets, and optional metadata. */
export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
  graph: {
    name: string;
    nodes: NodeSpec[];
    initializers: TensorSpec[];
    inputs: ValueInfoSpec[];
    outputs: ValueInfoSpec[];
  };
}

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

/** Appends protobuf fields to a growing list of byte chunks; nested messages are encoded first. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Varints are unsigned; negative int64 values take ten bytes in two's complement, as protobuf says. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new Error(`field ${field}: ${value} is not a safe integer`);
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function writeTensor(w: ProtoWriter, tensor: TensorSpec): void {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (count * ELEMENT_SIZE[tensor.type] !== tensor.data.length) {
    throw new Error(`tensor ${tensor.name}: ${tensor.data.length} bytes do not match dims ${tensor.dims}`);
  }
  for (const dim of tensor.dims) w.int(1, dim); // dims (unpacked repeated int64 is valid proto3 input)
  w.int(2, DATA_TYPE[tensor.type]).string(8, tensor.name).bytes(9, tensor.data);
}

// AttributeProto.AttributeType codes.
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_STRING = 3;
const ATTRIBUTE_TENSOR = 4;
const ATTRIBUTE_INTS = 7;

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, ATTRIBUTE_INT);
  else if (typeof value === 'string') w.string(4, value).int(20, ATTRIBUTE_STRING);
  else if (Array.isArray(value)) {
    for (const item of value) w.int(8, item);
    w.int(20, ATTRIBUTE_INTS);
  } else if ('float' in value) w.float(2, value.float).int(20, ATTRIBUTE_FLOAT);
  else w.message(5, (t) => writeTensor(t, value)).int(20, ATTRIBUTE_TENSOR);
}

function writeNode(w: ProtoWriter, node: NodeSpec): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name) w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value));
  }
}

function writeValueInfo(w: ProtoWriter, info: ValueInfoSpec): void {
  w.string(1, info.name);
  // TypeProto.tensor_type -> TypeProto.Tensor { elem_type, shape { dim { dim_value | dim_param } } }
  w.message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, DATA_TYPE[info.type]).message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      }),
    ),
  );
}

/**
 * Encodes a model as ONNX protobuf bytes (a `.onnx` file). Initialisers are stored inline as
 * raw_data, so models must stay under protobuf's 2 GB message limit; ours are a few megabytes.
 */
export function encodeModel(model: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion).string(2, model.producerName).string(3, model.producerVersion).int(5, 1); // model_version
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    for (const node of model.graph.nodes) g.message(1, (n) => writeNode(n, node));
    g.string(2, model.graph.name);
    for (const tensor of model.graph.initializers) g.message(5, (t) => writeTensor(t, tensor));
    for (const input of model.graph.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of model.graph.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (opset) => opset.string(1, '').int(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (entry) => entry.string(1, key).string(2, value));
  }
  return w.finish();
}

/** Little-endian bytes of a float32 tensor. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** Little-endian bytes of an int64 tensor. */
export function int64Bytes(values: number[]): Uint8Array {
  return new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
}

/**
 * Rounds a number to IEEE 754 half precision (round to nearest even) and returns its bit pattern.
 * Written out because Node 20 has no Float16Array and the conversion must be exact and reproducible.
 */
export function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    if (e < -10) return sign; // underflow to signed zero
    mantissa |= 0x800000; // subnormal half: shift in the implicit bit
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let result = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && (result & 1) === 1)) result += 1;
    return sign | result;
  }
  let result = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // Rounding up may carry into the exponent, which is still the right half (0x7c00 is infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (result & 1) === 1)) result += 1;
  return sign | result;
}

/** Converts IEEE 754 half-precision bits back to a number (to measure what the model will compute). */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Little-endian bytes of a float16 tensor (values rounded with {@link toFloat16Bits}). */
export function float16Bytes(values: ArrayLike<number>): Uint8Array {
  const bits = Uint16Array.from(Array.from(values, toFloat16Bits));
  return new Uint8Array(bits.buffer);
}
