/**
 * The application menu: only standard roles. Electron's default menu includes developer entries
 * and links to electronjs.org; a deliberate menu keeps the app's surface small and predictable.
 */
import { Menu, type MenuItemConstructorOptions, app } from 'electron';

/** Installs the menu. `devTools` adds reload and the inspector (for `electron-vite dev`). */
export function installMenu(options: { devTools: boolean }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: app.name, role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    // Without an Edit menu, copy and paste shortcuts do not work on macOS.
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(options.devTools
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
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
