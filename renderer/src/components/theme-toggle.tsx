/**
 * The theme switch: follow the system (prefers-color-scheme), or force light or dark. The choice is
 * kept in localStorage and applied as `data-theme` on the root element (styles.css reads it).
 */
import { useEffect, useState } from 'react';

/** A theme choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'lumin.theme';
const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The stored choice (system when none or unreadable). */
export function storedTheme(): ThemeChoice {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Applies a choice to the document. */
export function applyTheme(choice: ThemeChoice): void {
  const root = globalThis.document?.documentElement;
  if (!root) return;
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}

/** The toggle button. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    applyTheme(choice);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, choice);
    } catch {
      // Private windows may refuse storage; the choice then lasts for this session only.
    }
  }, [choice]);
  return (
    <button
      type="button"
      className="theme-toggle secondary"
      onClick={() => setChoice(NEXT[choice])}
      aria-label={`Theme: ${LABELS[choice]}. Switch to ${LABELS[NEXT[choice]]}.`}
    >
      Theme: {LABELS[choice]}
    </button>
  );
}
