/** The desktop app's decision on storing an API key (issue 14: say so and ask on Linux's basic_text). */
import { describe, expect, it } from 'vitest';
import { WEAK_STORAGE_MESSAGE, keyStoragePlan } from '../../electron/main/key-storage';

describe('key storage plan', () => {
  it('stores with a real keychain', () => {
    expect(keyStoragePlan('darwin', true, null)).toEqual({ action: 'store' });
    expect(keyStoragePlan('win32', true, null)).toEqual({ action: 'store' });
    expect(keyStoragePlan('linux', true, 'gnome_libsecret')).toEqual({ action: 'store' });
    expect(keyStoragePlan('linux', true, 'kwallet5')).toEqual({ action: 'store' });
  });

  it("asks first when Linux's backend is basic_text (or unknown)", () => {
    expect(keyStoragePlan('linux', true, 'basic_text')).toEqual({
      action: 'ask',
      message: WEAK_STORAGE_MESSAGE,
    });
    expect(keyStoragePlan('linux', true, 'unknown').action).toBe('ask');
    expect(WEAK_STORAGE_MESSAGE).toMatch(/without real encryption/);
  });

  it('refuses without any encryption', () => {
    const plan = keyStoragePlan('linux', false, 'basic_text');
    expect(plan.action).toBe('refuse');
  });
});
