/**
 * The main window's saved state (bounds, maximised, theme): parsed defensively from a JSON file in the
 * data folder and clamped to the displays attached now, so a window saved on a monitor that is gone
 * reopens where it can be seen.
 *
 * The decisions are pure (no Electron, no fs): unit tests cover them directly; window.ts does the I/O.
 */

/** A rectangle in screen coordinates (Electron's `Rectangle`). */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The theme the View menu chooses (Electron's `nativeTheme.themeSource`). */
export type ThemeSource = 'system' | 'light' | 'dark';

/** What is saved between launches. */
export interface WindowState {
  /** The normal (not maximised) bounds; null on first launch. */
  bounds: Bounds | null;
  maximised: boolean;
  theme: ThemeSource;
}

/** The window's size on first launch and its minimum size. */
export const DEFAULT_SIZE = { width: 1100, height: 760 } as const;
export const MINIMUM_SIZE = { width: 640, height: 480 } as const;

/** The state on first launch (or when the file is unreadable). */
export const DEFAULT_WINDOW_STATE: WindowState = { bounds: null, maximised: false, theme: 'system' };

/** How much of the window's title bar must be on a display for it to count as visible. */
const VISIBLE_MARGIN = 64;

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Reads saved state from a file's text; anything malformed falls back to the defaults, field by field. */
export function parseWindowState(text: string | null): WindowState {
  if (!text) return { ...DEFAULT_WINDOW_STATE };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const record = raw as Record<string, unknown>;
  const bounds = record['bounds'] as Record<string, unknown> | null | undefined;
  const validBounds =
    bounds &&
    isFiniteNumber(bounds['x']) &&
    isFiniteNumber(bounds['y']) &&
    isFiniteNumber(bounds['width']) &&
    isFiniteNumber(bounds['height']) &&
    bounds['width'] > 0 &&
    bounds['height'] > 0;
  const theme = record['theme'];
  return {
    bounds: validBounds
      ? {
          x: Math.round(bounds['x'] as number),
          y: Math.round(bounds['y'] as number),
          width: Math.round(bounds['width'] as number),
          height: Math.round(bounds['height'] as number),
        }
      : null,
    maximised: record['maximised'] === true,
    theme: theme === 'light' || theme === 'dark' || theme === 'system' ? theme : 'system',
  };
}

/** The file's text for a state. */
export function serialiseWindowState(state: WindowState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: the saved bounds when their top strip is on one of `workAreas` (each
 * display's work area), shrunk to fit that display; otherwise the default size centred on `primary`.
 * Never smaller than the minimum size (unless the display itself is smaller).
 */
export function clampBounds(saved: Bounds | null, workAreas: readonly Bounds[], primary: Bounds): Bounds {
  const centred = (area: Bounds): Bounds => {
    const width = Math.min(DEFAULT_SIZE.width, area.width);
    const height = Math.min(DEFAULT_SIZE.height, area.height);
    return {
      x: area.x + Math.round((area.width - width) / 2),
      y: area.y + Math.round((area.height - height) / 2),
      width,
      height,
    };
  };
  if (!saved) return centred(primary);
  // The title bar (the top strip) is what the user needs to grab the window.
  const titleBar = {
    x: saved.x,
    y: saved.y,
    width: saved.width,
    height: Math.min(VISIBLE_MARGIN, saved.height),
  };
  const home = workAreas.find((area) => {
    const shared = overlap(titleBar, area);
    return shared.width >= Math.min(VISIBLE_MARGIN, saved.width) && shared.height > 0;
  });
  if (!home) return centred(primary);
  const width = Math.min(Math.max(saved.width, MINIMUM_SIZE.width), home.width);
  const height = Math.min(Math.max(saved.height, MINIMUM_SIZE.height), home.height);
  // Pull the window inside the display it is on, keeping its size.
  const x = Math.min(Math.max(saved.x, home.x), home.x + home.width - width);
  const y = Math.min(Math.max(saved.y, home.y), home.y + home.height - height);
  return { x, y, width, height };
}
