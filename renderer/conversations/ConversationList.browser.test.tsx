import { describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import type { ConversationWire } from '../../shared/protocol';
import { INITIAL_STATE, applyReady, type RoostState } from '../../shared/sync/clientState';
import type { RoostClient } from '../../shared/sync';
import { ClientContext } from '../app/clientContext';
import { ConversationList } from './ConversationList';
import '../ui/base.css';

/**
 * The sidebar with thousands of conversations (issue 13, finding 7: a person added to 1,500 spam rooms
 * had a page that stayed unresponsive for minutes). Only the rows in view exist in the DOM, however
 * long the list: measured as rows, not as time.
 */

const SELF = { userId: 'ann', deviceId: 'ann-laptop' };
const ROOMS = 3000;

function room(i: number): ConversationWire {
  return {
    id: `room-${i}`,
    kind: 'group',
    name: `Spam room ${i}`,
    memberUserIds: [SELF.userId, 'spammer'],
    lastSeq: 0,
    // Newest first: room 0 is the newest, so the list ends with the last one.
    createdAt: 1_767_000_000_000 - i * 1000,
    receipts: [],
  };
}

function stateWithRooms(count: number): RoostState {
  const general: ConversationWire = {
    id: 'general',
    kind: 'default',
    name: 'General',
    memberUserIds: [SELF.userId, 'spammer'],
    lastSeq: 0,
    createdAt: 1_700_000_000_000,
    receipts: [],
  };
  const state = applyReady(INITIAL_STATE, {
    type: 'ready',
    self: SELF,
    users: [
      { id: SELF.userId, displayName: 'Ann', online: true },
      { id: 'spammer', displayName: 'Spammer', online: true },
    ],
    devices: [],
    conversations: [general, ...Array.from({ length: count }, (_, i) => room(i))],
  });
  return { ...state, status: 'connected' };
}

/** What the sidebar reads of the client: its state, never changing here. */
function fakeClient(state: RoostState): RoostClient {
  return { getState: () => state, subscribe: () => () => {} } as unknown as RoostClient;
}

async function renderList(state: RoostState) {
  const screen = await render(
    <ClientContext.Provider value={fakeClient(state)}>
      <div style={{ display: 'flex', flexDirection: 'column', width: 320, height: 640 }}>
        <ConversationList selectedId={undefined} onOpen={() => {}} />
      </div>
    </ClientContext.Provider>,
  );
  const list = screen.getByTestId('conversation-list').element();
  const scroller = list.closest('.sidebar');
  if (!(scroller instanceof HTMLElement)) throw new Error('the list has no scrolling sidebar');
  return { screen, list, scroller };
}

const rowIds = (list: Element) =>
  [...list.querySelectorAll('[data-testid="conversation-item"]')].map((e) => e.getAttribute('data-conversation-id'));

describe('ConversationList with thousands of conversations', () => {
  test('the conversation list renders a bounded number of rows with 3,000 conversations', async () => {
    const { list, scroller } = await renderList(stateWithRooms(ROOMS));
    await expect.poll(() => rowIds(list).length).toBeGreaterThan(0);
    expect(rowIds(list)[0]).toBe('general');
    // A 640 px sidebar shows about ten rows; a few more are drawn beyond each edge.
    expect(rowIds(list).length).toBeLessThanOrEqual(40);

    // Scrolled to the end, the last rooms are drawn, and still only a screenful.
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => rowIds(list)).toContain(`room-${ROOMS - 1}`);
    expect(rowIds(list).length).toBeLessThanOrEqual(40);
    expect(rowIds(list)).not.toContain('general');
  });

  test('tells assistive technology where each drawn row is in the whole list', async () => {
    const { list } = await renderList(stateWithRooms(ROOMS));
    await expect.poll(() => rowIds(list).length).toBeGreaterThan(0);
    const first = list.querySelector('li');
    expect(first?.getAttribute('aria-setsize')).toBe(String(ROOMS + 1));
    expect(first?.getAttribute('aria-posinset')).toBe('1');
  });
});
