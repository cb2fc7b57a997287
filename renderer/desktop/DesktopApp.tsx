import { useMemo } from 'react';
import { HubSession } from '../app/HubSession';
import { hubFilesOrigin } from '../files/hubFilesOrigin';
import type { DesktopBridge } from '../hub/desktopBridge';
import { Splash } from '../ui/Splash';
import { DesktopContext, type DesktopShell } from './desktopContext';
import { FirstRunScreen } from './FirstRunScreen';
import { HubIdentityChangedScreen, useHubTrustRefusal } from './HubIdentityChangedScreen';
import { HubUnavailableScreen } from './HubUnavailableScreen';
import { useDesktopSetup } from './useDesktopSetup';

/** The app inside the desktop shell: first run (host or join), then the chosen hub's session. */
export function DesktopApp({ bridge }: { bridge: DesktopBridge }) {
  const { state, chooseHost, chooseJoin, reset, reload } = useDesktopSetup(bridge);
  const refusal = useHubTrustRefusal(bridge);
  const setup = state.phase === 'set' ? state.setup : undefined;
  const wsUrl = state.phase === 'set' ? state.address?.wsUrl : undefined;
  const shell = useMemo<DesktopShell | undefined>(
    () =>
      setup
        ? { bridge, setup, changeHub: reset, filesOrigin: wsUrl === undefined ? undefined : hubFilesOrigin(wsUrl) }
        : undefined,
    [bridge, setup, reset, wsUrl],
  );

  if (state.phase === 'loading') return <Splash message="Starting Roost…" />;
  // Nothing of the joined hub's session shows while its certificate is refused: only the way to forget it.
  if (refusal && setup?.mode === 'join')
    return <HubIdentityChangedScreen bridge={bridge} refusal={refusal} onForgotten={reload} />;
  if (state.phase === 'unset' || !shell)
    return <FirstRunScreen bridge={bridge} onChooseHost={chooseHost} onChooseJoin={chooseJoin} />;
  const changeHub = () => void reset().catch((err: unknown) => console.warn('roost: resetSetup failed', err));
  if (!state.address) {
    if (shell.setup.mode === 'host')
      return <HubUnavailableScreen bridge={bridge} config={shell.setup.hosting} onChangeHub={changeHub} />;
    return <FirstRunScreen bridge={bridge} onChooseHost={chooseHost} onChooseJoin={chooseJoin} />;
  }
  return (
    <DesktopContext.Provider value={shell}>
      <HubSession key={state.address.wsUrl} address={state.address} onChangeHub={changeHub} />
    </DesktopContext.Provider>
  );
}
