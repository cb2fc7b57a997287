import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: Edit (so copy and paste shortcuts work), and a File
 * menu whose Close only hides the window, while Quit really quits.
 */
export function installAppMenu(options: { onQuit: () => void; onHide: () => void }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Close Window', accelerator: 'CmdOrCtrl+W', click: options.onHide },
        { label: 'Quit Roost', accelerator: 'CmdOrCtrl+Q', click: options.onQuit },
      ],
    },
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
