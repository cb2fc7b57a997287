import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { HubTrust } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import type { DesktopBridge } from '../hub/desktopBridge';
import { HubIdentityChangedScreen, useHubTrustRefusal } from './HubIdentityChangedScreen';
import '../ui/base.css';

const PINNED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST';
const PRESENTED = '234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMN';
const refused: Extract<HubTrust, { state: 'refused' }> = {
  state: 'refused',
  code: 'HUB_IDENTITY_CHANGED',
  hubUrl: 'wss://192.168.1.20:7420/ws',
  pinned: PINNED,
  presented: PRESENTED,
  message: 'The hub at this address has a different identity than the one this app paired with.',
};

/** Only what the screen calls: hubTrust (answer and event) and resetSetup. */
function fakeBridge(initial: HubTrust) {
  const listeners = new Set<(trust: HubTrust) => void>();
  const resetSetup = vi.fn(async () => {});
  const bridge = {
    hubTrust: async () => initial,
    resetSetup,
    on: (_event: string, listener: (trust: HubTrust) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as DesktopBridge;
  return { bridge, resetSetup, push: (trust: HubTrust) => listeners.forEach((l) => l(trust)) };
}

function Shown({ bridge, onForgotten }: { bridge: DesktopBridge; onForgotten: () => void }) {
  const refusal = useHubTrustRefusal(bridge);
  if (!refusal) return <p data-testid="trusted">connected</p>;
  return <HubIdentityChangedScreen bridge={bridge} refusal={refusal} onForgotten={onForgotten} />;
}

describe('HubIdentityChangedScreen', () => {
  test('shows both identities when the pin check refuses the hub, and forgets the hub only when asked', async () => {
    const { bridge, resetSetup, push } = fakeBridge({ state: 'ok' });
    const onForgotten = vi.fn();
    const screen = await render(<Shown bridge={bridge} onForgotten={onForgotten} />);
    await expect.element(screen.getByTestId('trusted')).toBeVisible();

    push(refused);
    await expect.element(screen.getByRole('heading')).toHaveTextContent('This hub’s identity has changed');
    await expect.element(screen.getByTestId('pinned-identity')).toHaveTextContent(formatIdentity(PINNED));
    await expect.element(screen.getByTestId('presented-identity')).toHaveTextContent(formatIdentity(PRESENTED));
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/different identity/);
    expect(resetSetup).not.toHaveBeenCalled();

    await screen.getByTestId('forget-hub').click();
    await vi.waitFor(() => expect(onForgotten).toHaveBeenCalledOnce());
    expect(resetSetup).toHaveBeenCalledOnce();
  });
});
