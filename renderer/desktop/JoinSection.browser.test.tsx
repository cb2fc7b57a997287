import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { DiscoveredHub, InspectedHub } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import type { DesktopBridge } from '../hub/desktopBridge';
import { JoinSection } from './JoinSection';
import '../ui/base.css';

const FOUND: DiscoveredHub = {
  hubId: 'kitchen',
  identity: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST',
  name: 'Kitchen',
  protocolVersion: 1,
  compatible: true,
  url: 'https://192.168.1.20:7420/',
  addresses: ['192.168.1.20'],
  port: 7420,
};
const TYPED: InspectedHub = {
  wsUrl: 'wss://10.0.0.7:7420/ws',
  identity: '234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMN',
  hubId: 'attic',
  name: 'Attic',
  protocolVersion: 1,
};

/** Only what the join section calls: the discovered hubs (answer and event) and inspectHub. */
function fakeBridge() {
  const inspectHub = vi.fn(async () => TYPED);
  const bridge = {
    discoveredHubs: async () => [FOUND],
    inspectHub,
    on: () => () => {},
  } as unknown as DesktopBridge;
  return { bridge, inspectHub };
}

describe('JoinSection', () => {
  test('shows a found hub’s identity to compare, and pins it only once the person confirms', async () => {
    const { bridge } = fakeBridge();
    const onChooseJoin = vi.fn(async () => {});
    const screen = await render(<JoinSection bridge={bridge} onChooseJoin={onChooseJoin} />);
    await screen.getByTestId('discovered-hub').click();
    await expect.element(screen.getByTestId('candidate-identity')).toHaveTextContent(formatIdentity(FOUND.identity));
    expect(onChooseJoin).not.toHaveBeenCalled();
    await screen.getByTestId('confirm-join').click();
    await vi.waitFor(() => expect(onChooseJoin).toHaveBeenCalledWith('wss://192.168.1.20:7420/ws', FOUND.identity));
  });

  test('asks a typed address for the identity it proves before offering to join it', async () => {
    const { bridge, inspectHub } = fakeBridge();
    const onChooseJoin = vi.fn(async () => {});
    const screen = await render(<JoinSection bridge={bridge} onChooseJoin={onChooseJoin} />);
    await screen.getByLabelText('Hub address').fill('10.0.0.7');
    await screen.getByRole('button', { name: 'Find this hub' }).click();
    await expect.element(screen.getByTestId('candidate-identity')).toHaveTextContent(formatIdentity(TYPED.identity));
    expect(inspectHub).toHaveBeenCalledOnce();
    await screen.getByTestId('confirm-join').click();
    await vi.waitFor(() => expect(onChooseJoin).toHaveBeenCalledWith(TYPED.wsUrl, TYPED.identity));
  });
});
