import { useRoost } from '../app/useRoost';
import { useRoute } from '../app/useRoute';
import { ConversationList } from '../conversations/ConversationList';
import { DevicesScreen } from '../devices/DevicesScreen';
import { ConversationView } from '../messages/ConversationView';
import { Logo } from '../ui/Icon';
import { Splash } from '../ui/Splash';
import { ConnectionStatus } from './ConnectionStatus';
import { TopBar } from './TopBar';
import { useDocumentTitle } from './useDocumentTitle';
import './ChatApp.css';

/**
 * The paired app: a top bar, the conversation list, and the open
 * conversation or the devices screen. Two panes from 800 px; below, one pane
 * at a time with Back.
 */
export function ChatApp() {
  const self = useRoost((s) => s.self);
  const { route, navigate, back } = useRoute();
  useDocumentTitle();

  if (!self) {
    // Just paired, or a cache without a snapshot: nothing to show until the hub's first `ready`.
    return (
      <Splash message="Getting your conversations…">
        <ConnectionStatus />
      </Splash>
    );
  }

  const detailOpen = route.name !== 'home';
  return (
    <div className="app">
      <TopBar onOpenDevices={() => navigate({ name: 'devices' })} devicesOpen={route.name === 'devices'} />
      <div className={`layout${detailOpen ? ' layout--detail' : ''}`}>
        <nav className="layout__sidebar" aria-label="Conversations and people">
          <ConversationList selectedId={route.name === 'conversation' ? route.id : undefined} onOpen={(id) => navigate({ name: 'conversation', id }, { replace: detailOpen })} />
        </nav>
        <main className="layout__main">
          {route.name === 'conversation' && <ConversationView key={route.id} id={route.id} onBack={back} />}
          {route.name === 'devices' && <DevicesScreen onBack={back} />}
          {route.name === 'home' && (
            <div className="layout__empty">
              <Logo size={44} />
              <p>Pick a conversation, or start one with someone from People.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
