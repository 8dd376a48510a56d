/**
 * The Hugging Face tokenizer files (tokenizer.json, tokenizer_config.json) and config.json for the
 * static model, in the shapes transformers.js v4 loads: a WordPiece model (the tokenizers.js
 * library supports WordPiece, BPE and Unigram, not WordLevel), and a "bert" config, which
 * transformers.js maps to an encoder-only model with a single onnx/model.onnx.
 */
import { SPECIAL_TOKENS, type VocabEntry } from './vocabulary';

/** Tokens per text the model sees; longer texts are truncated (the mean of 512 words is stable). */
export const MODEL_MAX_LENGTH = 512;

/** Escapes a literal for use inside a regular expression. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Normalizer rules applied after lowercasing and accent stripping. Contractions are rewritten so
 * that "don't" becomes "do not" rather than the word "don" plus an unknown "t"; other clitics
 * ('s, 'll…) carry no topic and are dropped; listed compounds lose their hyphens to match their
 * vocabulary token.
 */
function replaceRules(compounds: string[]): object[] {
  const apostrophe = "['’]";
  // Each rule starts with its literal so the regex engine can scan for it quickly; a leading \b
  // (which tokenizers.js rewrites into a Unicode lookaround) made every rule ~40 times slower.
  // The word-start check is a lookbehind placed after the literal instead.
  const word = (literal: string): string => `${literal}(?<!\\p{L}${literal})\\b`;
  const rules: [string, string][] = [
    [word(`can${apostrophe}t`), 'can not'],
    [word(`won${apostrophe}t`), 'will not'],
    [`n${apostrophe}t\\b`, ' not'],
    [`${apostrophe}(?:s|d|ll|re|ve|m)\\b`, ''],
    ...compounds.map((c): [string, string] => [word(escapeRegex(c)), c.replaceAll('-', '')]),
  ];
  return rules.map(([regex, content]) => ({ type: 'Replace', pattern: { Regex: regex }, content }));
}

/**
 * Builds tokenizer.json. Pre-tokenization keeps only runs of letters (punctuation and digits are
 * dropped, so they neither take up the 512-token budget nor dilute the mean), and every text
 * starts with [CLS] so that even an empty or all-punctuation text has one token to pool over.
 */
export function tokenizerJson(vocabulary: VocabEntry[], compounds: string[]): object {
  const vocab: Record<string, number> = {};
  vocabulary.forEach((entry, id) => {
    vocab[entry.token] = id;
  });
  const cls = SPECIAL_TOKENS.indexOf('[CLS]');
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        {
          type: 'BertNormalizer',
          clean_text: true,
          handle_chinese_chars: true,
          strip_accents: true,
          lowercase: true,
        },
        ...replaceRules(compounds),
      ],
    },
    pre_tokenizer: { type: 'Split', pattern: { Regex: '\\p{L}+' }, behavior: 'Removed', invert: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
      ],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** tokenizer_config.json: the base tokenizer class (no token_type_ids) and the length limit. */
export function tokenizerConfig(): object {
  return {
    tokenizer_class: 'PreTrainedTokenizer',
    model_max_length: MODEL_MAX_LENGTH,
    do_lower_case: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    padding_side: 'right',
    clean_up_tokenization_spaces: true,
  };
}

/**
 * config.json. "bert"/BertModel is the plainest encoder-only type transformers.js knows, so it
 * loads onnx/model.onnx with no warning; "transformers.js_config" makes fp32 (the only file we
 * ship) the default dtype so callers need not pass one.
 */
export function modelConfig(vocabularySize: number, dimensions: number): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dimensions,
    vocab_size: vocabularySize,
    max_position_embeddings: MODEL_MAX_LENGTH,
    pad_token_id: 0,
    'transformers.js_config': { dtype: 'fp32' },
  };
}
