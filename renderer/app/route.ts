/**
 * Where the app is, kept in the location hash (`#/c/general`, `#/devices`)
 * so the browser's and the phone's back button work, and so the app works
 * from a file:// page in the desktop shell too.
 */
/** `hub`: the desktop app's "This hub" panel, while it hosts one. */
export type Route = { name: 'home' } | { name: 'conversation'; id: string } | { name: 'devices' } | { name: 'hub' };

const CONVERSATION = /^#\/c\/([A-Za-z0-9_-]{1,64})$/;

export function parseRoute(hash: string): Route {
  const conversation = CONVERSATION.exec(hash);
  if (conversation) return { name: 'conversation', id: conversation[1]! };
  if (hash === '#/devices') return { name: 'devices' };
  if (hash === '#/hub') return { name: 'hub' };
  return { name: 'home' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'conversation':
      return `#/c/${route.id}`;
    case 'devices':
      return '#/devices';
    case 'hub':
      return '#/hub';
    case 'home':
      return '#/';
  }
}
