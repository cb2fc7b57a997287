import { useEffect, useEffectEvent, useState } from 'react';
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
  // Callers pass a new arrow each render that asks the same bridge method: no reason to subscribe again.
  const readAnswer = useEffectEvent(read);
  useEffect(() => {
    // No bridge (a plain browser): nothing to read; hooks cannot be skipped, so this one idles.
    if (!bridge) return;
    let pushed = false;
    let active = true;
    const unsubscribe = bridge.on(event, (payload) => {
      pushed = true;
      if (active) setValue(payload);
    });
    readAnswer()
      .then((answer) => active && !pushed && setValue(answer))
      .catch((err: unknown) => console.warn(`roost: reading ${event} failed`, err));
    return () => {
      active = false;
      unsubscribe();
    };
  }, [bridge, event]);
  return value;
}
