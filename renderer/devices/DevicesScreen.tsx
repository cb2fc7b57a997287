import { useRoost } from '../app/useRoost';
import { useNow } from '../app/useNow';
import { usePresenceKnown } from '../app/usePresenceKnown';
import { DesktopSettings } from '../desktop/DesktopSettings';
import { useDesktop } from '../desktop/desktopContext';
import { BlockedPeoplePanel } from './BlockedPeoplePanel';
import { DeviceItem } from './DeviceItem';
import { LinkCodePanel } from './LinkCodePanel';
import './DevicesScreen.css';
import { BackButton } from '../ui/BackButton';

/** All devices of the own user, who is online, and how to add or remove one; in the desktop app, its settings too. */
export function DevicesScreen({ onBack, onOpenHub }: { onBack: () => void; onOpenHub: (() => void) | undefined }) {
  const desktop = useDesktop();
  const devices = useRoost((s) => s.devices);
  const self = useRoost((s) => s.self);
  const me = useRoost((s) => (s.self ? s.users[s.self.userId] : undefined));
  const now = useNow(30_000);
  const presenceKnown = usePresenceKnown();
  // This device first, then online ones, then most recently seen.
  const sorted = [...devices].sort(
    (a, b) =>
      Number(b.id === self?.deviceId) - Number(a.id === self?.deviceId) ||
      Number(b.online) - Number(a.online) ||
      b.lastSeenAt - a.lastSeenAt,
  );

  return (
    <section className="devices" aria-labelledby="devices-title" data-testid="devices-screen">
      <header className="pane-header">
        <BackButton onBack={onBack} testId="back-button" />
        <div className="pane-header__text">
          <h1 id="devices-title" className="pane-header__title">
            Your devices
          </h1>
          {me && <p className="pane-header__subtitle">Signed in as {me.displayName}</p>}
        </div>
      </header>
      <div className="devices__content">
        <p className="devices__lead">Your messages and what you have read are the same on each of these devices.</p>
        <ul className="device-list" aria-label="Devices" data-testid="device-list">
          {sorted.map((d) => (
            <DeviceItem
              key={d.id}
              device={d}
              isThisDevice={d.id === self?.deviceId}
              now={now}
              presenceKnown={presenceKnown}
            />
          ))}
        </ul>
        <LinkCodePanel />
        <BlockedPeoplePanel />
        {desktop && <DesktopSettings desktop={desktop} onOpenHub={onOpenHub ?? (() => {})} />}
      </div>
    </section>
  );
}
