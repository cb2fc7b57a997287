import { ChatApp } from '../chat/ChatApp';
import { useDesktop } from '../desktop/desktopContext';
import { useOwnerTicket } from '../desktop/useOwnerTicket';
import type { HubAddress } from '../hub/hubAddress';
import { IdentityRefusedScreen } from '../pairing/IdentityRefusedScreen';
import { IncompatibleScreen } from '../pairing/IncompatibleScreen';
import { PairingScreen } from '../pairing/PairingScreen';
import { useJoinLink } from '../pairing/useJoinLink';
import { Splash } from '../ui/Splash';
import { ClientContext } from './clientContext';
import { useClient } from './useClient';
import { useDefaultDevice } from './useDefaultDevice';
import { useRoost } from './useRoost';
import { useRoostClient } from './useRoostClient';

type Props = { address: HubAddress; onChangeHub: (() => void) | undefined };

/** One hub: its sync client, then pairing or chat. */
export function HubSession({ address, onChangeHub }: Props) {
  const device = useDefaultDevice();
  const opened = useRoostClient(address, device);
  if (!opened) return <Splash message="Opening Roost…" />;
  return (
    <ClientContext.Provider value={opened.client}>
      <SessionScreens onChangeHub={onChangeHub} />
    </ClientContext.Provider>
  );
}

function SessionScreens({ onChangeHub }: { onChangeHub: (() => void) | undefined }) {
  const client = useClient();
  const session = useRoost((s) => s.session);
  const connected = useRoost((s) => s.status === 'connected');
  const device = useDefaultDevice();
  const desktop = useDesktop();
  // A join link is traded for a fresh token as soon as the hub answers; paired, the device drops it.
  const { joinLink, drop: dropJoinLink } = useJoinLink(
    client,
    connected && session.phase === 'unpaired',
    session.phase === 'paired',
  );
  const fromLink = joinLink.phase !== 'none';
  // The desktop app that hosts the hub pairs its owner with a ticket from main: only a name to type.
  const owner = useOwnerTicket(
    desktop?.bridge,
    desktop?.setup.mode === 'host' && session.phase === 'unpaired' && !fromLink,
  );

  switch (session.phase) {
    case 'loading':
      return <Splash message="Opening Roost…" />;
    case 'unpaired':
      if (owner.loading) return <Splash message="Opening Roost…" />;
      if (joinLink.phase === 'claiming')
        return (
          <Splash
            message={
              connected
                ? 'Opening your invitation…'
                : 'Waiting for the hub. Make sure it is running and that this device is on the same network.'
            }
          />
        );
      return (
        <PairingScreen
          reason={session.reason}
          joinToken={joinLink.phase === 'ready' ? joinLink.token : owner.token}
          invitation={fromLink || !owner.token ? 'link' : 'owner'}
          joinLinkProblem={joinLink.phase === 'failed' ? joinLink.message : undefined}
          onJoinTokenUsed={fromLink ? dropJoinLink : owner.used}
          device={device}
          onChangeHub={onChangeHub}
        />
      );
    case 'incompatible':
      return <IncompatibleScreen session={session} />;
    case 'identityRefused':
      return <IdentityRefusedScreen session={session} onChangeHub={onChangeHub} />;
    case 'paired':
      return <ChatApp />;
  }
}
