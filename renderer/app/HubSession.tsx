import { useCallback, useEffect, useState } from 'react';
import { ChatApp } from '../chat/ChatApp';
import { useDesktop } from '../desktop/desktopContext';
import { useOwnerTicket } from '../desktop/useOwnerTicket';
import type { HubAddress } from '../hub/hubAddress';
import { IncompatibleScreen } from '../pairing/IncompatibleScreen';
import { forgetJoinToken, readJoinToken } from '../pairing/joinLink';
import { PairingScreen } from '../pairing/PairingScreen';
import { Splash } from '../ui/Splash';
import { ClientContext } from './clientContext';
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
  const session = useRoost((s) => s.session);
  const device = useDefaultDevice();
  const desktop = useDesktop();
  // Read once: the token is dropped as soon as it is used, or at once if this device is already paired.
  const [linkToken, setLinkToken] = useState(() => readJoinToken(location.hash));
  const dropLinkToken = useCallback(() => setLinkToken(undefined), []);
  // Dropped in this render, so nothing below ever sees a token this device no longer needs.
  if (session.phase === 'paired' && linkToken) setLinkToken(undefined);
  // The address bar keeps the token only while this screen does.
  useEffect(() => {
    if (!linkToken) forgetJoinToken();
  }, [linkToken]);
  // The desktop app that hosts the hub pairs its owner with a ticket from main: only a name to type.
  const owner = useOwnerTicket(
    desktop?.bridge,
    desktop?.setup.mode === 'host' && session.phase === 'unpaired' && !linkToken,
  );

  switch (session.phase) {
    case 'loading':
      return <Splash message="Opening Roost…" />;
    case 'unpaired':
      if (owner.loading) return <Splash message="Opening Roost…" />;
      return (
        <PairingScreen
          reason={session.reason}
          joinToken={linkToken ?? owner.token}
          invitation={linkToken || !owner.token ? 'link' : 'owner'}
          onJoinTokenUsed={linkToken ? dropLinkToken : owner.used}
          device={device}
          onChangeHub={onChangeHub}
        />
      );
    case 'incompatible':
      return <IncompatibleScreen session={session} />;
    case 'paired':
      return <ChatApp />;
  }
}
