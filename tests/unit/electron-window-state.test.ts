import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MINIMUM_SIZE,
  clampBounds,
  parseWindowState,
  serialiseWindowState,
} from '../../electron/main/window-state';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('window state', () => {
  it('round-trips through its file format', () => {
    const state = {
      bounds: { x: 10, y: 20, width: 900, height: 700 },
      maximised: true,
      theme: 'dark' as const,
    };
    expect(parseWindowState(serialiseWindowState(state))).toEqual(state);
  });

  it('falls back to defaults, field by field, for a missing or malformed file', () => {
    expect(parseWindowState(null)).toEqual({ bounds: null, maximised: false, theme: 'system' });
    expect(parseWindowState('{not json')).toEqual({ bounds: null, maximised: false, theme: 'system' });
    expect(parseWindowState('[1,2]').bounds).toBeNull();
    expect(
      parseWindowState(
        JSON.stringify({ bounds: { x: 'a', y: 0, width: 10, height: 10 }, maximised: 'yes', theme: 'pink' }),
      ),
    ).toEqual({ bounds: null, maximised: false, theme: 'system' });
    expect(
      parseWindowState(JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 10 } })).bounds,
    ).toBeNull();
    expect(parseWindowState(JSON.stringify({ theme: 'light' })).theme).toBe('light');
  });

  it('centres the default size on the primary display on first launch', () => {
    expect(clampBounds(null, [primary], primary)).toEqual({
      x: (1920 - DEFAULT_SIZE.width) / 2,
      y: (1040 - DEFAULT_SIZE.height) / 2,
      ...DEFAULT_SIZE,
    });
  });

  it('keeps saved bounds that are on a display, on any display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 800 };
    expect(clampBounds(saved, [primary, right], primary)).toEqual(saved);
  });

  it('recentres a window saved on a display that is gone', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 800 };
    expect(clampBounds(saved, [primary], primary)).toEqual(clampBounds(null, [primary], primary));
  });

  it('pulls a window hanging off its display back inside it and shrinks it to fit', () => {
    const saved = { x: 1700, y: -30, width: 3000, height: 2000 };
    expect(clampBounds(saved, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    const partly = { x: 1500, y: 500, width: 800, height: 700 };
    expect(clampBounds(partly, [primary], primary)).toEqual({ x: 1120, y: 340, width: 800, height: 700 });
  });

  it('never restores below the minimum size', () => {
    const tiny = { x: 100, y: 100, width: 50, height: 40 };
    const result = clampBounds(tiny, [primary], primary);
    expect(result.width).toBe(MINIMUM_SIZE.width);
    expect(result.height).toBe(MINIMUM_SIZE.height);
  });

  it('treats a window whose title bar is above every display as lost', () => {
    const saved = { x: 100, y: -900, width: 800, height: 850 };
    expect(clampBounds(saved, [primary], primary)).toEqual(clampBounds(null, [primary], primary));
  });
});
