import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

type Props = { icon: IconName; titleId: string; title: string; children: ReactNode };

/** The icon, title and explanation at the top of a `.link-panel` card; `titleId` labels the card. */
export function PanelHeader({ icon, titleId, title, children }: Props) {
  return (
    <div className="link-panel__header">
      <span className="link-panel__icon" aria-hidden="true">
        <Icon name={icon} size={20} />
      </span>
      <div>
        <h2 id={titleId} className="link-panel__title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
