import { useState } from 'react';
import { DesktopApp } from '../desktop/DesktopApp';
import { MIGRATE_HASH, oldOriginOf } from '../migration/migrationMessages';
import { MigrationScreen } from '../migration/MigrationScreen';
import { desktopBridge } from '../hub/desktopBridge';
import { HubAddressScreen } from '../pairing/HubAddressScreen';
import { Splash } from '../ui/Splash';
import { HubSession } from './HubSession';
import { useHubAddress } from './useHubAddress';

/** Inside the desktop shell, its own flow; in a browser, the hub that served the page (or one typed in). */
export function App() {
  const bridge = desktopBridge();
  return bridge ? <DesktopApp bridge={bridge} /> : <BrowserApp />;
}

/** Which hub, then which client, then which screen: pairing or chat. */
function BrowserApp() {
  // Before the client opens this origin's storage: a device moved from http:// must be there when it does.
  const [migrateFrom, setMigrateFrom] = useState(() =>
    location.hash === MIGRATE_HASH ? oldOriginOf(location) : undefined,
  );
  if (migrateFrom) {
    const done = () => {
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
      setMigrateFrom(undefined);
    };
    return <MigrationScreen oldOrigin={migrateFrom} onDone={done} />;
  }
  return <HubSessionFor />;
}

function HubSessionFor() {
  const { state, choose, forget } = useHubAddress();
  if (state.phase === 'resolving') return <Splash message="Starting Roost…" />;
  if (state.phase === 'ask') return <HubAddressScreen onChoose={choose} />;
  return (
    <HubSession
      key={state.address.wsUrl}
      address={state.address}
      onChangeHub={state.address.servedByHub ? undefined : forget}
    />
  );
}
