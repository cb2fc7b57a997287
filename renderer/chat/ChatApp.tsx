import { useRoost } from '../app/useRoost';
import { useRoute } from '../app/useRoute';
import { ConversationList } from '../conversations/ConversationList';
import { DesktopChatEffects } from '../desktop/DesktopChatEffects';
import { useDesktop } from '../desktop/desktopContext';
import { HostingPanel } from '../desktop/HostingPanel';
import { DevicesScreen } from '../devices/DevicesScreen';
import { FilesProvider } from '../files/FilesProvider';
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
  const desktop = useDesktop();
  const hosting = desktop?.setup.mode === 'host' ? desktop.setup.hosting : undefined;
  useDocumentTitle();

  if (!self) {
    // Just paired, or a cache without a snapshot: nothing to show until the hub's first `ready`.
    return (
      <Splash message="Getting your conversations…">
        <ConnectionStatus />
      </Splash>
    );
  }

  // "This hub" exists only in the desktop app that hosts it; anywhere else its address shows the list.
  const page = route.name === 'hub' && !hosting ? ({ name: 'home' } as const) : route;
  const detailOpen = page.name !== 'home';
  // The desktop window's origin is app://roost, not the hub's: it cannot carry the hub's file session cookie, so it
  // uses the session in a header, on the hub's origin.
  return (
    <FilesProvider available={!desktop || desktop.filesOrigin !== undefined} hubOrigin={desktop?.filesOrigin}>
      <div className="app">
        {desktop && <DesktopChatEffects bridge={desktop.bridge} navigate={navigate} />}
        <TopBar
          onOpenDevices={() => navigate({ name: 'devices' })}
          devicesOpen={page.name === 'devices'}
          onOpenHub={hosting ? () => navigate({ name: 'hub' }) : undefined}
          hubOpen={page.name === 'hub'}
        />
        <div className={`layout${detailOpen ? ' layout--detail' : ''}`}>
          <nav className="layout__sidebar" aria-label="Conversations and people">
            <ConversationList
              selectedId={page.name === 'conversation' ? page.id : undefined}
              onOpen={(id) => navigate({ name: 'conversation', id }, { replace: detailOpen })}
            />
          </nav>
          <main className="layout__main">
            {page.name === 'conversation' && <ConversationView key={page.id} id={page.id} onBack={back} />}
            {page.name === 'devices' && (
              <DevicesScreen onBack={back} onOpenHub={hosting ? () => navigate({ name: 'hub' }) : undefined} />
            )}
            {page.name === 'hub' && desktop && hosting && (
              <HostingPanel bridge={desktop.bridge} config={hosting} onBack={back} />
            )}
            {page.name === 'home' && (
              <div className="layout__empty">
                <Logo size={44} />
                <p>Pick a conversation, or start one with someone from People.</p>
              </div>
            )}
          </main>
        </div>
      </div>
    </FilesProvider>
  );
}
