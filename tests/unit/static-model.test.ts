/**
 * The committed static embedding model (resources/models/lumin-glove-100d) loaded through the real
 * transformers.js feature-extraction pipeline with remote models off, and the hand-written ONNX
 * writer that produces it, run through onnxruntime-node.
 */
import { join } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTIONS } from '../../scripts/static-model/eval-texts';
import {
  dataTypeCode,
  encodeModel,
  float16Bytes,
  float32Bytes,
} from '../../scripts/static-model/onnx-writer';

const MODEL = 'lumin-glove-100d';
let extractor: FeatureExtractionPipeline;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = join(import.meta.dirname, '..', '..', 'resources', 'models') + '/';
  extractor = await pipeline('feature-extraction', MODEL, { dtype: 'fp32' });
});

async function embed(texts: string[]): Promise<Float32Array[]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  expect(output.dims).toEqual([texts.length, 100]);
  const data = output.data as Float32Array;
  return texts.map((_, r) => data.slice(r * 100, (r + 1) * 100));
}

const cosine = (a: Float32Array, b: Float32Array): number =>
  a.reduce((sum, v, i) => sum + v * (b[i] as number), 0);

describe('lumin-glove-100d through the transformers.js pipeline', () => {
  it('returns one finite unit-norm 100-dimensional vector per text', async () => {
    const vectors = await embed([DESCRIPTIONS.spaceOpera, DESCRIPTIONS.cookbook, 'dragons']);
    for (const vector of vectors) {
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(Math.sqrt(cosine(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic, across calls and whatever the padding of the batch', async () => {
    const [alone] = await embed([DESCRIPTIONS.detective]);
    const [again] = await embed([DESCRIPTIONS.detective]);
    const [, padded] = await embed([
      `${DESCRIPTIONS.history} ${DESCRIPTIONS.science}`,
      DESCRIPTIONS.detective,
    ]);
    expect(Array.from(again as Float32Array)).toEqual(Array.from(alone as Float32Array));
    expect(Array.from(padded as Float32Array)).toEqual(Array.from(alone as Float32Array));
  });

  it('ranks a space-opera description above a cookbook for a space-opera query', async () => {
    const [query, spaceOpera, cookbook] = (await embed([
      'a space opera with starships and an interstellar war between galactic empires',
      DESCRIPTIONS.spaceOpera,
      DESCRIPTIONS.cookbook,
    ])) as [Float32Array, Float32Array, Float32Array];
    expect(cosine(query, spaceOpera)).toBeGreaterThan(cosine(query, cookbook) + 0.2);
  });

  it('puts the detective novel first for a whodunit query among mixed genres', async () => {
    const genres = ['romance', 'cookbook', 'spaceOpera', 'fantasy', 'detective'] as const;
    const [query, ...docs] = (await embed([
      'a whodunit murder mystery',
      ...genres.map((genre) => DESCRIPTIONS[genre]),
    ])) as Float32Array[];
    const scores = docs.map((doc) => cosine(query as Float32Array, doc));
    expect(genres[scores.indexOf(Math.max(...scores))]).toBe('detective');
  });

  it('truncates long texts to model_max_length (512 tokens: [CLS] and the first 511 words)', async () => {
    const words = DESCRIPTIONS.history.replace(/[^A-Za-z ]/g, '').split(/\s+/);
    const long = Array.from({ length: 2100 }, (_, i) => words[i % words.length]).join(' ');
    const head = long.split(' ').slice(0, 511).join(' ');
    const { input_ids } = extractor.tokenizer([long], { padding: true, truncation: true });
    expect(input_ids.dims).toEqual([1, 512]);
    const [longVector, headVector] = (await embed([long, head])) as [Float32Array, Float32Array];
    expect(longVector.every(Number.isFinite)).toBe(true);
    expect(cosine(longVector, headVector)).toBeCloseTo(1, 5);
  });

  it('gives texts without a known word one fixed unit vector, unrelated to real texts, never NaN', async () => {
    // Unknown words, digits and punctuation all have zero vectors; the model's tiny bias along a
    // direction removed from every word vector then decides the direction instead of 0/0.
    const [unknown, empty, symbols, real] = await embed([
      'qzxv blorptangle wug',
      '',
      '1984 !!! ...',
      DESCRIPTIONS.spaceOpera,
    ]);
    for (const vector of [unknown, empty, symbols] as Float32Array[]) {
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(cosine(vector, unknown as Float32Array)).toBeCloseTo(1, 5);
      expect(Math.abs(cosine(vector, real as Float32Array))).toBeLessThan(0.05);
    }
  });

  it('lets unknown words leave the direction of a text unchanged', async () => {
    const [plain, noisy] = (await embed([
      'a haunted house full of ghosts',
      'a haunted qzxv house blorptangle full of wug ghosts',
    ])) as [Float32Array, Float32Array];
    expect(cosine(plain, noisy)).toBeCloseTo(1, 4);
  });
});

describe('onnx-writer', () => {
  it('writes a model onnxruntime-node loads and runs (Gather, Cast from float16, Concat, Add)', async () => {
    const model = encodeModel({
      irVersion: 8,
      opsetVersion: 17,
      producerName: 'test',
      producerVersion: '0',
      metadata: { purpose: 'round trip' },
      graph: {
        name: 'tiny',
        nodes: [
          { opType: 'Gather', inputs: ['table', 'ids'], outputs: ['half'], attributes: { axis: 0 } },
          {
            opType: 'Cast',
            inputs: ['half'],
            outputs: ['full'],
            attributes: { to: dataTypeCode('float32') },
          },
          { opType: 'Concat', inputs: ['full', 'full'], outputs: ['twice'], attributes: { axis: -1 } },
          { opType: 'Add', inputs: ['twice', 'bias'], outputs: ['out'] },
        ],
        initializers: [
          { name: 'table', type: 'float16', dims: [3, 2], data: float16Bytes([0, 0, 0.5, -1.25, 3, 65504]) },
          { name: 'bias', type: 'float32', dims: [4], data: float32Bytes([1, 2, 3, 4]) },
        ],
        inputs: [{ name: 'ids', type: 'int64', shape: ['n'] }],
        outputs: [{ name: 'out', type: 'float32', shape: ['n', 4] }],
      },
    });
    const session = await ort.InferenceSession.create(model);
    expect(session.inputNames).toEqual(['ids']);
    const { out } = await session.run({
      ids: new ort.Tensor('int64', BigInt64Array.from([2n, 1n, 0n]), [3]),
    });
    expect(out?.dims).toEqual([3, 4]);
    expect(Array.from(out?.data as Float32Array)).toEqual([
      4, 65506, 6, 65508, 1.5, 0.75, 3.5, 2.75, 1, 2, 3, 4,
    ]);
  });
});
