import { existsSync } from 'node:fs';
import path from 'node:path';
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import { trayTitle, trayTooltip } from '../desktop/notificationPolicy';

export type AppTray = {
  setUnread(count: number): void;
  setMuted(muted: boolean): void;
  tooltip(): string;
  destroy(): void;
};

type TrayOptions = {
  iconDir: string;
  muted: boolean;
  onShow: () => void;
  onMutedChange: (muted: boolean) => void;
  onQuit: () => void;
};

/**
 * The tray icon keeps the app reachable while its window is hidden (closing
 * the window only hides it, so messages keep arriving). The icon files come
 * from build/icons via the desktop build; without them the tray still works,
 * with an empty image, rather than crashing the app.
 */
export function createTray(options: TrayOptions): AppTray {
  const tray = new Tray(loadIcon(options.iconDir));
  // Rebuilt on every change: Linux trays do not pick up changes to an existing menu's items.
  const setMenu = (muted: boolean) =>
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Roost', click: options.onShow },
        {
          label: 'Mute notifications',
          type: 'checkbox',
          checked: muted,
          click: (item) => options.onMutedChange(item.checked),
        },
        { type: 'separator' },
        { label: 'Quit Roost', click: options.onQuit },
      ]),
    );
  setMenu(options.muted);
  // Linux ignores the click on many desktops (the menu opens instead), hence "Show Roost" in the menu.
  tray.on('click', options.onShow);
  let tooltip = trayTooltip(0);
  tray.setToolTip(tooltip);
  return {
    setUnread(count) {
      tooltip = trayTooltip(count);
      tray.setToolTip(tooltip);
      if (process.platform === 'darwin') tray.setTitle(trayTitle(count));
    },
    setMuted: setMenu,
    tooltip: () => tooltip,
    destroy: () => tray.destroy(),
  };
}

function loadIcon(dir: string): NativeImage {
  // nativeImage picks tray@2x.png by itself on high-density screens when it sits beside tray.png.
  const file = path.join(dir, 'tray.png');
  if (!existsSync(file)) return nativeImage.createEmpty();
  const image = nativeImage.createFromPath(file);
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}
