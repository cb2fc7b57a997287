import { useCallback, useEffect, useState } from 'react';
import { ChatApp } from '../chat/ChatApp';
import type { HubAddress } from '../hub/hubAddress';
import { HubAddressScreen } from '../pairing/HubAddressScreen';
import { IncompatibleScreen } from '../pairing/IncompatibleScreen';
import { forgetJoinToken, readJoinToken } from '../pairing/joinLink';
import { PairingScreen } from '../pairing/PairingScreen';
import { Splash } from '../ui/Splash';
import { ClientContext } from './clientContext';
import { useDefaultDevice } from './useDefaultDevice';
import { useHubAddress } from './useHubAddress';
import { useRoost } from './useRoost';
import { useRoostClient } from './useRoostClient';

/** Which hub, then which client, then which screen: pairing or chat. */
export function App() {
  const { state, choose, forget } = useHubAddress();
  if (state.phase === 'resolving') return <Splash message="Starting Roost…" />;
  if (state.phase === 'ask') return <HubAddressScreen onChoose={choose} />;
  return <HubSession key={state.address.wsUrl} address={state.address} onChangeHub={state.address.servedByHub ? undefined : forget} />;
}

function HubSession({ address, onChangeHub }: { address: HubAddress; onChangeHub: (() => void) | undefined }) {
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
  // Read once: the hash is cleared as soon as the token is used, or at once if this device is already paired.
  const [joinToken, setJoinToken] = useState(() => readJoinToken(location.hash));
  const dropJoinToken = useCallback(() => {
    forgetJoinToken();
    setJoinToken(undefined);
  }, []);

  useEffect(() => {
    if (session.phase === 'paired' && joinToken) dropJoinToken();
  }, [session.phase, joinToken, dropJoinToken]);

  switch (session.phase) {
    case 'loading':
      return <Splash message="Opening Roost…" />;
    case 'unpaired':
      return <PairingScreen reason={session.reason} joinToken={joinToken} onJoinTokenUsed={dropJoinToken} device={device} onChangeHub={onChangeHub} />;
    case 'incompatible':
      return <IncompatibleScreen session={session} />;
    case 'paired':
      return <ChatApp />;
  }
}
