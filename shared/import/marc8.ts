/**
 * MARC-8, the character encoding of binary MARC records whose leader/09 is blank: ASCII plus ANSEL,
 * with diacritics written before the letter they belong to. The one legacy codec the platform lacks.
 */
import { type Decoded, fromCodeUnits } from './text-decoding';

const REPLACEMENT = 0xfffd;

function pushCodePoint(units: number[], code: number): void {
  if (code < 0x10000) units.push(code);
  else units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
}

/** ANSEL (MARC-8's default G1 set): spacing characters 0xA1–0xC8. */
// prettier-ignore
const ANSEL_SPACING: Record<number, number> = {
  0xa1: 0x141, 0xa2: 0xd8, 0xa3: 0x110, 0xa4: 0xde, 0xa5: 0xc6, 0xa6: 0x152, 0xa7: 0x2b9, 0xa8: 0xb7,
  0xa9: 0x266d, 0xaa: 0xae, 0xab: 0xb1, 0xac: 0x1a0, 0xad: 0x1af, 0xae: 0x2bc, 0xb0: 0x2bb, 0xb1: 0x142,
  0xb2: 0xf8, 0xb3: 0x111, 0xb4: 0xfe, 0xb5: 0xe6, 0xb6: 0x153, 0xb7: 0x2ba, 0xb8: 0x131, 0xb9: 0xa3,
  0xba: 0xf0, 0xbc: 0x1a1, 0xbd: 0x1b0, 0xc0: 0xb0, 0xc1: 0x2113, 0xc2: 0x2117, 0xc3: 0xa9, 0xc4: 0x266f,
  0xc5: 0xbf, 0xc6: 0xa1, 0xc7: 0xdf, 0xc8: 0x20ac,
};

/** ANSEL combining diacritics 0xE0–0xFE. MARC-8 writes them before the letter; Unicode after it. */
// prettier-ignore
const ANSEL_COMBINING: Record<number, number> = {
  0xe0: 0x309, 0xe1: 0x300, 0xe2: 0x301, 0xe3: 0x302, 0xe4: 0x303, 0xe5: 0x304, 0xe6: 0x306, 0xe7: 0x307,
  0xe8: 0x308, 0xe9: 0x30c, 0xea: 0x30a, 0xeb: 0xfe20, 0xec: 0xfe21, 0xed: 0x315, 0xee: 0x30b, 0xef: 0x310,
  0xf0: 0x327, 0xf1: 0x328, 0xf2: 0x323, 0xf3: 0x324, 0xf4: 0x325, 0xf5: 0x333, 0xf6: 0x332, 0xf7: 0x326,
  0xf8: 0x31c, 0xf9: 0x32e, 0xfa: 0xfe22, 0xfb: 0xfe23, 0xfe: 0x313,
};

/**
 * Decodes MARC-8 (leader/09 blank): ASCII plus the default ANSEL set, which covers the Latin letters
 * and diacritics school catalogues mostly hold. Other character sets, reached by escape sequences
 * (Greek, Cyrillic, Hebrew, Arabic, CJK), are not decoded: each run of them becomes one U+FFFD.
 */
export function decodeMarc8(bytes: Uint8Array, start = 0, end = bytes.length): Decoded {
  const units: number[] = [];
  let combining: number[] = [];
  let bad = false;
  let g0Ascii = true;
  let g1Ansel = true;
  let inUnknownRun = false;
  const unknown = (): void => {
    bad = true;
    if (!inUnknownRun) units.push(REPLACEMENT);
    inUnknownRun = true;
  };
  const emit = (code: number): void => {
    inUnknownRun = false;
    pushCodePoint(units, code);
    for (const mark of combining) units.push(mark);
    combining = [];
  };
  let index = start;
  while (index < end) {
    const byte = bytes[index] as number;
    index += 1;
    if (byte === 0x1b) {
      // ESC, intermediate bytes 0x20–0x2F, then a final byte 0x30–0x7E names the set being selected.
      let intermediates = '';
      while (index < end && (bytes[index] as number) >= 0x20 && (bytes[index] as number) <= 0x2f)
        intermediates += String.fromCharCode(bytes[index++] as number);
      const final = index < end ? String.fromCharCode(bytes[index++] as number) : '';
      if (intermediates === '' && final === 's') g0Ascii = true;
      else if (intermediates === '' && 'bgp'.includes(final)) g0Ascii = false;
      else if (/^[(,$]/.test(intermediates)) g0Ascii = final === 'B';
      else if (/^[)-]/.test(intermediates)) g1Ansel = final === 'E';
      else g0Ascii = false;
      continue;
    }
    if (byte < 0x20) continue;
    if (byte === 0x20) emit(0x20);
    else if (byte < 0x7f) {
      if (g0Ascii) emit(byte);
      else unknown();
    } else if (byte === 0x88 || byte === 0x89) continue;
    else if (byte === 0x8d) units.push(0x200d);
    else if (byte === 0x8e) units.push(0x200c);
    else if (byte >= 0xa1 && byte <= 0xfe && g1Ansel) {
      const mark = ANSEL_COMBINING[byte];
      const spacing = ANSEL_SPACING[byte];
      if (mark !== undefined) combining.push(mark);
      else if (spacing !== undefined) emit(spacing);
      else unknown();
    } else unknown();
  }
  for (const mark of combining) units.push(mark);
  return { text: fromCodeUnits(units), bad };
}
