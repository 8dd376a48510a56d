/** Byte-level mutations of MARC files (bit flips, truncations, inserted, deleted and copied bytes). */
import fc from 'fast-check';
import { join } from './bytes';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'duplicate'; at: number; count: number }
  | { kind: 'truncate'; at: number };

export const XML_TOKENS = [
  '<',
  '>',
  '/',
  '&',
  '"',
  "'",
  '=',
  ' ',
  '<record>',
  '</record>',
  '<datafield tag="245" ind1="0" ind2="0">',
  '</datafield>',
  '<subfield code="a">',
  '</subfield>',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&nbsp;',
  '&#0;',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '\u0000',
  '\uFEFF',
  'é',
  '📚',
];

export const mutation = (tokens: Uint8Array[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      byte: fc.oneof(
        fc.constantFrom(0x1d, 0x1e, 0x1f, 0x30, 0x39, 0x20, 0x0a, 0x00, 0xff, 0xc3, 0x3c),
        fc.nat(255),
      ),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes:
        tokens.length > 0
          ? fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.constantFrom(...tokens))
          : fc.uint8Array({ maxLength: 24 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 60 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 80 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

export function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes: Uint8Array = seed.slice();
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % bytes.length;
    switch (change.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << change.bit);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = change.byte;
        break;
      case 'insert':
        bytes = join(bytes.slice(0, at), change.bytes, bytes.slice(at));
        break;
      case 'delete':
        bytes = join(bytes.slice(0, at), bytes.slice(at + change.count));
        break;
      case 'duplicate':
        bytes = join(bytes.slice(0, at + change.count), bytes.slice(at));
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return bytes;
}
