import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { message, messages } from '../testing/conversationFixtures';
import { FakeConversationClient } from '../testing/FakeConversationClient';
import { renderConversation } from '../testing/renderConversation';
import {
  atRest,
  distanceFromBottom,
  fullyInView,
  messageElement,
  offsetInView,
  rowElement,
  visibleSeqs,
} from '../testing/scrollGeometry';

/**
 * The message list in Chromium, inside the real conversation screen (composer included), on a fake
 * client: where it opens, when it follows new messages, and how it loads older history. Positions are
 * read from the real layout; rows differ in height, so the virtualizer's estimates are wrong as in the app.
 */

/** Sub-pixel rounding; anything larger is a move a person sees. */
const PX = 1;

/** Scrolls the way a person does (a scroll the virtualizer did not make) and waits until rows are drawn there. */
async function scrollAsPerson(scroller: HTMLElement, top: number): Promise<void> {
  scroller.scrollTop = top;
  await expect.poll(() => Math.abs(scroller.scrollTop - top)).toBeLessThanOrEqual(PX);
  // The rows for the new position come a frame later; until then none is in view.
  await expect.poll(() => visibleSeqs(scroller).length).toBeGreaterThan(0);
}

/** Opens the conversation and waits until the list has come to rest at the bottom. */
async function openAtBottom(client: FakeConversationClient) {
  const rendered = await renderConversation(client);
  await expect.poll(() => distanceFromBottom(rendered.scroller)).toBeLessThanOrEqual(PX);
  await atRest(rendered.scroller);
  return rendered;
}

/** Everything read, nothing older to load: 120 messages. */
const readHistory = () => new FakeConversationClient({ messages: messages(1, 120), readSeq: 120, reachedStart: true });

describe('MessageList, opening', () => {
  test('opens at the "new messages" line: the last read message at the top, the first unread right below', async () => {
    const client = new FakeConversationClient({ messages: messages(1, 120), readSeq: 60, reachedStart: true });
    const { screen, scroller } = await renderConversation(client);

    const line = screen.getByTestId('unread-line');
    await expect.element(line).toBeVisible();
    await expect.poll(() => Math.abs(offsetInView(scroller, rowElement(scroller, 60)))).toBeLessThanOrEqual(PX);
    // The line is drawn at the bottom of the last read message's row, so it is just above the first unread one.
    expect(rowElement(scroller, 60)?.contains(line.element())).toBe(true);
    expect(fullyInView(scroller, line.element())).toBe(true);
    expect(fullyInView(scroller, messageElement(scroller, 61))).toBe(true);
    expect(messageElement(scroller, 120)).toBeUndefined();
  });

  test('opens at the newest message when everything is read', async () => {
    const { screen, scroller } = await renderConversation(readHistory());

    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(PX);
    expect(fullyInView(scroller, messageElement(scroller, 120))).toBe(true);
    expect(screen.getByTestId('unread-line').query()).toBeNull();
    // The button follows the scroll position a render later (and the composer's size may settle after it).
    await expect.poll(() => screen.getByTestId('jump-to-latest').query()).toBeNull();
  });

  test('opens at the newest message when the first unread one is not loaded', async () => {
    const client = new FakeConversationClient({ messages: messages(201, 320), readSeq: 100, reachedStart: false });
    const { screen, scroller } = await renderConversation(client);

    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(PX);
    expect(fullyInView(scroller, messageElement(scroller, 320))).toBe(true);
    expect(screen.getByTestId('unread-line').query()).toBeNull();
  });
});

describe('MessageList, new messages', () => {
  test('follows a message that arrives while at the bottom', async () => {
    const client = readHistory();
    const { scroller } = await openAtBottom(client);

    client.receive(message(121));

    await expect.poll(() => fullyInView(scroller, messageElement(scroller, 121))).toBe(true);
    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(PX);
  });

  test('does not move when a message arrives while scrolled up', async () => {
    const client = readHistory();
    const { screen, scroller } = await openAtBottom(client);
    await scrollAsPerson(scroller, scroller.scrollTop - 1500);
    const jump = screen.getByTestId('jump-to-latest');
    await expect.element(jump).toHaveTextContent('Latest');
    const anchor = visibleSeqs(scroller)[0]!;
    const anchorTop = offsetInView(scroller, messageElement(scroller, anchor));
    const { scrollTop, scrollHeight } = scroller;

    client.receive(message(121));

    // Drawn: the button counts it, and the list has grown below.
    await expect.element(jump).toHaveTextContent('1 new');
    await expect.poll(() => scroller.scrollHeight).toBeGreaterThan(scrollHeight);
    expect(scroller.scrollTop).toBe(scrollTop);
    expect(Math.abs(offsetInView(scroller, messageElement(scroller, anchor)) - anchorTop)).toBeLessThanOrEqual(PX);
  });

  test('scrolls to the end when the person sends, even from further up', async () => {
    const { screen, scroller } = await openAtBottom(readHistory());
    await scrollAsPerson(scroller, scroller.scrollTop - 1500);
    await expect.element(screen.getByTestId('jump-to-latest')).toBeVisible();

    await userEvent.fill(screen.getByTestId('composer'), 'On my way');
    await userEvent.keyboard('{Enter}');

    const sent = screen.getByText('On my way');
    await expect.element(sent).toBeVisible();
    await expect.poll(() => fullyInView(scroller, sent.element())).toBe(true);
    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(PX);
    await expect.element(screen.getByTestId('jump-to-latest')).not.toBeInTheDocument();
  });
});

describe('MessageList, older history', () => {
  /** The newest messages of a longer conversation, all read, opened at the bottom. */
  async function openLongHistory() {
    const client = new FakeConversationClient({ messages: messages(201, 320), readSeq: 320, reachedStart: false });
    const rendered = await openAtBottom(client);
    await expect.element(rendered.screen.getByRole('list')).toHaveAttribute('aria-busy', 'false');
    return { client, ...rendered, callsAtOpen: client.loadOlderCalls.length };
  }

  test('opening at the newest message asks for no older history', async () => {
    // The virtualizer reports its first range at the top, before the opening scroll lands.
    const { client, scroller } = await openLongHistory();
    // Something that happens after any such request would have been made: the list reacts to a new message.
    client.receive(message(321));
    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(PX);
    await atRest(scroller);
    expect(client.loadOlderCalls).toEqual([]);
  });

  test('asks for older messages once at the top, and not again while that page is on its way', async () => {
    const { client, scroller, callsAtOpen } = await openLongHistory();

    await scrollAsPerson(scroller, 0);
    await expect.poll(() => client.loadOlderCalls.length).toBe(callsAtOpen + 1);

    // More scrolling near the top while the page is loading: each scroll is seen by the list, none asks again.
    for (const top of [600, 0, 300, 0]) await scrollAsPerson(scroller, top);
    expect(client.loadOlderCalls.length).toBe(callsAtOpen + 1);
    expect(client.loadOlderCalls.at(-1)).toBe(client.conversation.id);
  });

  test('keeps the message on screen in place when older messages are put above it', async () => {
    const { client, screen, scroller, callsAtOpen } = await openLongHistory();
    await scrollAsPerson(scroller, 0);
    await expect.poll(() => client.loadOlderCalls.length).toBe(callsAtOpen + 1);
    await expect.element(screen.getByText('Loading earlier messages…')).toBeVisible();
    const oldest = client.conversation.timeline.messages[0]!.seq;
    const anchor = visibleSeqs(scroller)[0]!;
    const anchorOffset = () => offsetInView(scroller, messageElement(scroller, anchor));
    const before = anchorOffset();

    // Where the anchor is in every frame from now on, to catch a jump that is put right later.
    const frames: number[] = [];
    let watching = true;
    const watch = () => {
      frames.push(anchorOffset());
      if (watching) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
    client.answerOlder(messages(oldest - 50, oldest - 1), false);

    // Once the page is drawn the list is still near the top, so it asks for the next one.
    await expect.poll(() => client.loadOlderCalls.length).toBe(callsAtOpen + 2);
    await expect.poll(() => frames.length).toBeGreaterThan(3);
    watching = false;
    // NaN (the anchor gone from the DOM in some frame) fails these too.
    expect(Math.abs(anchorOffset() - before)).toBeLessThanOrEqual(PX);
    expect(Math.max(...frames.map((offset) => Math.abs(offset - before)))).toBeLessThanOrEqual(PX);
    // It stayed because the list scrolled down by what was put above, and those rows are drawn.
    expect(scroller.scrollTop).toBeGreaterThan(0);
    expect(messageElement(scroller, oldest - 1)).toBeDefined();
  });
});
