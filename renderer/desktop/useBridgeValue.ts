import { useEffect, useState } from 'react';
import type { BridgeEvent, BridgeEventName } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';

/**
 * A value main both answers for and pushes as an event: read once, then kept
 * current by the event. Subscribes before asking, and an event that arrives
 * first wins over the (older) answer.
 */
export function useBridgeValue<E extends BridgeEventName>(
  bridge: DesktopBridge | undefined,
  event: E,
  read: () => Promise<BridgeEvent<E>>,
): BridgeEvent<E> | undefined {
  const [value, setValue] = useState<BridgeEvent<E>>();
  useEffect(() => {
    // No bridge (a plain browser): nothing to read; hooks cannot be skipped, so this one idles.
    if (!bridge) return;
    let pushed = false;
    let active = true;
    const unsubscribe = bridge.on(event, (payload) => {
      pushed = true;
      if (active) setValue(payload);
    });
    read()
      .then((answer) => active && !pushed && setValue(answer))
      .catch((err: unknown) => console.warn(`roost: reading ${event} failed`, err));
    return () => {
      active = false;
      unsubscribe();
    };
    // `read` is a bridge method wrapper; the bridge and the event name identify it.
  }, [bridge, event]);
  return value;
}
