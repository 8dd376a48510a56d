import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { type MenuActions, menuTemplate } from '../../electron/main/menu';

// The Electron binary is not installed here, so `electron` cannot load; the template needs only `app.name`.
vi.mock('electron', () => ({ Menu: {}, app: { name: 'Lumin' } }));

function actions(calls: string[]): MenuActions {
  return {
    devTools: false,
    theme: 'dark',
    importFile: () => calls.push('import'),
    setTheme: (theme) => calls.push(`theme:${theme}`),
    revealDataFolder: () => calls.push('reveal'),
    showShortcuts: () => calls.push('shortcuts'),
    showAbout: () => calls.push('about'),
  };
}

const submenu = (item: MenuItemConstructorOptions | undefined) =>
  (item?.submenu ?? []) as MenuItemConstructorOptions[];
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('application menu', () => {
  it('puts the app menu first on macOS only', () => {
    expect(menuTemplate(actions([]), true)[0]?.role).toBe('appMenu');
    expect(menuTemplate(actions([]), false)[0]?.label).toBe('File');
  });

  it('offers File › Import… on Cmd/Ctrl+O', () => {
    const calls: string[] = [];
    const template = menuTemplate(actions(calls), false);
    const importItem = submenu(template.find((item) => item.label === 'File')).find(
      (item) => item.label === 'Import…',
    );
    expect(importItem?.accelerator).toBe('CmdOrCtrl+O');
    click(importItem);
    expect(calls).toEqual(['import']);
  });

  it('has a View › Theme radio group with the current theme checked', () => {
    const calls: string[] = [];
    const view = submenu(menuTemplate(actions(calls), false).find((item) => item.label === 'View'));
    const themes = submenu(view.find((item) => item.label === 'Theme'));
    expect(themes.map((item) => [item.label, item.type, item.checked])).toEqual([
      ['Match the System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    click(themes[1]);
    expect(calls).toEqual(['theme:light']);
    expect(view.some((item) => item.role === 'toggleDevTools')).toBe(false);
  });

  it('has a Help menu with shortcuts, the data folder and About', () => {
    const calls: string[] = [];
    const help = submenu(menuTemplate(actions(calls), false).find((item) => item.role === 'help'));
    for (const item of help) click(item);
    expect(calls).toEqual(['shortcuts', 'reveal', 'about']);
  });
});
