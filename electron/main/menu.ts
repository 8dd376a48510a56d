/**
 * The application menu: File › Import… (Cmd/Ctrl+O), View › Theme, Help, and the standard roles.
 * Electron's default menu includes developer entries and links to electronjs.org; a deliberate menu
 * keeps the app's surface small and predictable.
 */
import { Menu, type MenuItemConstructorOptions, app } from 'electron';
import type { ThemeSource } from './window-state';

/** What the menu's own entries do (the main process wires them). */
export interface MenuActions {
  /** Adds reload and the inspector (for `electron-vite dev`). */
  devTools: boolean;
  /** The theme in effect, checked in View › Theme. */
  theme: ThemeSource;
  /** File › Import…: the open dialog, then the renderer's import preview. */
  importFile(): void;
  /** View › Theme. */
  setTheme(theme: ThemeSource): void;
  /** Help › Show the data folder. */
  revealDataFolder(): void;
  /** Help › Keyboard shortcuts. */
  showShortcuts(): void;
  /** Help › About Lumin (non-macOS; macOS has the app menu's About). */
  showAbout(): void;
}

const THEMES: { id: ThemeSource; label: string }[] = [
  { id: 'system', label: 'Match the System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** The menu template (exported for a look in tests without building a native menu). */
export function menuTemplate(
  actions: MenuActions,
  isMac = process.platform === 'darwin',
): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ label: app.name, role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFile() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // Without an Edit menu, copy and paste shortcuts do not work on macOS.
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        {
          label: 'Theme',
          submenu: THEMES.map((theme) => ({
            label: theme.label,
            type: 'radio' as const,
            checked: actions.theme === theme.id,
            click: () => actions.setTheme(theme.id),
          })),
        },
        { type: 'separator' },
        ...(actions.devTools
          ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts', click: () => actions.showShortcuts() },
        { label: 'Show the Data Folder', click: () => actions.revealDataFolder() },
        ...(isMac
          ? []
          : [{ type: 'separator' as const }, { label: 'About Lumin', click: () => actions.showAbout() }]),
      ],
    },
  ];
}

/** Installs the menu (again after a theme change, so the radio shows the new choice). */
export function installMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)));
}
