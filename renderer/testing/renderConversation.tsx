import { render, type RenderResult } from 'vitest-browser-react';
import { ClientContext } from '../app/clientContext';
import { ConversationView } from '../messages/ConversationView';
import { CONVERSATION_ID } from './conversationFixtures';
import type { FakeConversationClient } from './FakeConversationClient';
// The app's base styles first, as in main.tsx; the component brings its own.
import '../ui/base.css';
import './testFrame.css';

export type RenderedConversation = { screen: RenderResult; scroller: HTMLElement };

/** The conversation screen on `client`, in a 900×600 frame, as the app shows it. */
export async function renderConversation(client: FakeConversationClient): Promise<RenderedConversation> {
  const screen = await render(
    <ClientContext.Provider value={client.asRoostClient()}>
      <div className="test-frame">
        <ConversationView id={CONVERSATION_ID} onBack={() => {}} />
      </div>
    </ClientContext.Provider>,
  );
  const scroller = screen.getByTestId('message-scroller').element();
  if (!(scroller instanceof HTMLElement)) throw new Error('the message list has no scroller');
  return { screen, scroller };
}
