import { useRoost } from '../app/useRoost';
import { Avatar } from '../ui/Avatar';
import { Icon, Logo } from '../ui/Icon';
import { ConnectionStatus } from './ConnectionStatus';

type Props = {
  onOpenDevices: () => void;
  devicesOpen: boolean;
  /** The desktop app hosting the hub: the way to "This hub". */
  onOpenHub?: () => void;
  hubOpen?: boolean;
};

/**
 * Hub name, connection state (always visible), and the way to the devices screen (and, when hosting, to "This hub").
 */
export function TopBar({ onOpenDevices, devicesOpen, onOpenHub, hubOpen = false }: Props) {
  const hubName = useRoost((s) => s.hub?.name);
  const self = useRoost((s) => s.self);
  const me = useRoost((s) => (s.self ? s.users[s.self.userId] : undefined));
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <Logo size={28} />
        <span className="topbar__hub" title={hubName ? `Hub: ${hubName}` : undefined}>
          {hubName ?? 'Roost'}
        </span>
      </div>
      <div className="topbar__end">
        <ConnectionStatus />
        {onOpenHub && (
          <button
            type="button"
            className={`topbar__me topbar__hub-button${hubOpen ? ' topbar__me--active' : ''}`}
            onClick={onOpenHub}
            aria-label="This hub: invite people, see who is connected"
            aria-current={hubOpen ? 'page' : undefined}
            data-testid="hub-button"
          >
            <Icon name="broadcast" size={18} />
            <span className="topbar__me-label">This hub</span>
          </button>
        )}
        <button
          type="button"
          className={`topbar__me${devicesOpen ? ' topbar__me--active' : ''}`}
          onClick={onOpenDevices}
          aria-current={devicesOpen ? 'page' : undefined}
          data-testid="devices-button"
        >
          <Icon name="devices" size={18} />
          {/* Named from its content (the avatar is aria-hidden), so the name starts with the visible word. */}
          <span className="topbar__me-label">Devices</span>
          {me && <span className="sr-only">, signed in as {me.displayName}</span>}
          {self && me && <Avatar id={self.userId} name={me.displayName} size="small" />}
        </button>
      </div>
    </header>
  );
}
