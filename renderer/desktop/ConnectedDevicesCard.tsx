import type { ConnectedDevice } from '../../shared/desktop';
import { platformIcon, platformLabel } from '../devices/deviceLabels';
import { Icon } from '../ui/Icon';

/** Who is connected to this hub right now, from any account. */
export function ConnectedDevicesCard({ devices }: { devices: readonly ConnectedDevice[] }) {
  return (
    <section className="hosting-section" aria-labelledby="connected-title">
      <h2 id="connected-title" className="hosting-section__title">
        Connected now <span className="badge badge--quiet">{devices.length}</span>
      </h2>
      {devices.length === 0 ? (
        <p className="hosting-section__empty">Nobody is connected yet.</p>
      ) : (
        <ul className="device-list" aria-label="Connected devices" data-testid="hosting-connected">
          {devices.map((d) => (
            <li key={d.deviceId} className="device" data-testid="connected-device" data-device-id={d.deviceId}>
              <span className="device__icon" aria-hidden="true">
                <Icon name={platformIcon(d.platform)} size={22} />
                <span className="presence-dot presence-dot--online" />
              </span>
              <div className="device__main">
                <div className="device__title">
                  <span className="device__name">{d.deviceName}</span>
                </div>
                <p className="device__meta">
                  <span>{d.userName}</span>
                  <span aria-hidden="true"> · </span>
                  <span>{platformLabel(d.platform)}</span>
                  {d.connections > 1 && (
                    <>
                      <span aria-hidden="true"> · </span>
                      <span>{d.connections} windows</span>
                    </>
                  )}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
