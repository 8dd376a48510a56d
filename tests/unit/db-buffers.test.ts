/** The buffer pool grows with the library: small libraries stay lean, large ones keep their index in memory. */
import { describe, expect, it } from 'vitest';
import { sharedBuffersMb } from '../../workers/db/open';

const MB = 2 ** 20;

describe('sharedBuffersMb', () => {
  it('keeps 32 MB for a small library and gives a larger one its own size, at most 512 MB', () => {
    expect(sharedBuffersMb(0)).toBe(32);
    expect(sharedBuffersMb(60 * MB)).toBe(32);
    expect(sharedBuffersMb(200 * MB)).toBe(224);
    expect(sharedBuffersMb(480 * MB)).toBe(480);
    expect(sharedBuffersMb(4000 * MB)).toBe(512);
  });
});
