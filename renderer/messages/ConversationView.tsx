import { useMemo, useState } from 'react';
import { conversationTitle, visibleMessages, type ConversationState } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { usePresenceKnown } from '../app/usePresenceKnown';
import { useRoost } from '../app/useRoost';
import { BlockedNotice, ConversationActions } from '../conversations/ConversationActions';
import { useAttachmentDraft } from '../files/useAttachmentDraft';
import { useFileDrop } from '../files/useFileDrop';
import { useFiles } from '../files/useFiles';
import { Avatar } from '../ui/Avatar';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { TypingIndicator } from './TypingIndicator';
import './ConversationView.css';
import { BackButton } from '../ui/BackButton';

/** One open conversation: header, messages, who is typing, and the composer. */
export function ConversationView({ id, onBack }: { id: string; onBack: () => void }) {
  const client = useClient();
  const stored = useRoost((s) => s.conversations[id]);
  const blockedUserIds = useRoost((s) => s.blockedUserIds);
  // Messages of users the own user blocks are not shown (PROTOCOL.md 11.7); they stay in the client's timeline.
  const conversation = useMemo(() => stored && withoutHidden(stored, blockedUserIds), [stored, blockedUserIds]);
  const self = useRoost((s) => s.self);
  const users = useRoost((s) => s.users);
  const presenceKnown = usePresenceKnown();
  const [sentCount, setSentCount] = useState(0);
  // Files dropped anywhere on the conversation join the ones chosen with the composer's button.
  const files = useFiles();
  const attachments = useAttachmentDraft();
  const drop = useFileDrop(files?.available && conversation ? attachments.add : undefined);

  if (!conversation || !self) {
    return (
      <section className="conversation" aria-label="Conversation not found">
        <header className="pane-header">
          <BackButton onBack={onBack} />
          <div className="pane-header__text">
            <h1 className="pane-header__title">Conversation not available</h1>
          </div>
        </header>
        <p className="conversation__missing">You are not a member of this conversation, or it does not exist.</p>
      </section>
    );
  }

  const title = conversationTitle(client.getState(), conversation);
  const peerId = conversation.kind === 'direct' ? conversation.memberUserIds.find((u) => u !== self.userId) : undefined;
  const peer = peerId ? users[peerId] : undefined;
  const onlineMembers = conversation.memberUserIds.filter((u) => users[u]?.online).length;
  const memberCount = conversation.memberUserIds.length;
  const members = `${memberCount} ${memberCount === 1 ? 'member' : 'members'}`;
  const subtitle = peer
    ? presenceKnown
      ? peer.online
        ? 'Online'
        : 'Offline'
      : 'Direct conversation'
    : presenceKnown
      ? `${members} · ${onlineMembers} online`
      : members;

  return (
    <section
      className={drop.dragging ? 'conversation conversation--dropping' : 'conversation'}
      aria-labelledby="conversation-title"
      data-testid="conversation-view"
      data-conversation-id={id}
      {...drop.handlers}
    >
      <header className="pane-header">
        <BackButton onBack={onBack} testId="back-button" />
        <Avatar
          id={peerId ?? conversation.id}
          name={title}
          room={conversation.kind !== 'direct'}
          online={presenceKnown ? peer?.online : undefined}
        />
        <div className="pane-header__text">
          <h1 id="conversation-title" className="pane-header__title">
            {title}
          </h1>
          <p className="pane-header__subtitle" data-testid="conversation-subtitle">
            {subtitle}
          </p>
        </div>
        <ConversationActions
          conversation={conversation}
          title={title}
          peer={peerId && peer ? { id: peerId, displayName: peer.displayName } : undefined}
          onLeft={onBack}
        />
      </header>
      <MessageList
        conversation={conversation}
        title={title}
        selfUserId={self.userId}
        selfDeviceId={self.deviceId}
        showSenders={conversation.kind !== 'direct'}
        sentCount={sentCount}
      />
      <TypingIndicator typing={conversation.typing} />
      {peerId && peer && blockedUserIds.includes(peerId) && (
        <BlockedNotice peer={{ id: peerId, displayName: peer.displayName }} />
      )}
      <Composer
        conversationId={id}
        placeholder={`Message ${conversation.kind === 'direct' ? title : `#${title}`}`}
        onSent={() => setSentCount((n) => n + 1)}
        attachments={attachments}
      />
    </section>
  );
}

/** The conversation as shown: its timeline without the messages of blocked users (the same object if none). */
function withoutHidden(c: ConversationState, blockedUserIds: readonly string[]): ConversationState {
  const messages = visibleMessages({ blockedUserIds }, c.timeline.messages);
  return messages === c.timeline.messages ? c : { ...c, timeline: { ...c.timeline, messages } };
}
