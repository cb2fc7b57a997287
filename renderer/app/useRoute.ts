import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { parseRoute, routeHref, type Route } from './route';

/** Marks history entries this app pushed, so Back inside the app never leaves it. */
const OWN_ENTRY = 'roost';

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener('hashchange', onChange);
  globalThis.addEventListener('popstate', onChange);
  return () => {
    globalThis.removeEventListener('hashchange', onChange);
    globalThis.removeEventListener('popstate', onChange);
  };
}

const currentHash = () => location.hash;

export type Navigation = {
  route: Route;
  /** Goes to `route` with a new history entry (so the browser's Back returns), or in place with `replace`. */
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  /** Back to the conversation list: the browser's Back if this app put the current entry there, else in place. */
  back: () => void;
};

export function useRoute(): Navigation {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const navigate = useCallback((route: Route, options: { replace?: boolean } = {}) => {
    const href = routeHref(route);
    if (href === location.hash) return;
    if (options.replace) history.replaceState(history.state, '', href);
    else history.pushState(OWN_ENTRY, '', href);
    // pushState and replaceState fire no event of their own.
    globalThis.dispatchEvent(new HashChangeEvent('hashchange'));
  }, []);
  const back = useCallback(() => {
    if (history.state === OWN_ENTRY) history.back();
    else navigate({ name: 'home' }, { replace: true });
  }, [navigate]);
  const route = useMemo(() => parseRoute(hash), [hash]);
  return { route, navigate, back };
}
