import { useEffect, type RefObject } from 'react';

/**
 * Keeps a list that was scrolled to its end at its end when its scroller changes size: the composer grows
 * (files chosen, a transfer in progress, a longer text) or the window does. Without this the scroll position
 * stays put and the newest messages slide out of view below.
 */
export function useKeepAtEnd(
  scrollRef: RefObject<HTMLElement | null>,
  scrollToEnd: () => void,
  thresholdPx: number,
): void {
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const atEnd = () => scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop <= thresholdPx;
    // Read at each scroll, so it says where the list was before a resize, not after.
    let wasAtEnd = atEnd();
    let height = scroller.clientHeight;
    const onScroll = () => {
      wasAtEnd = atEnd();
    };
    const observer = new ResizeObserver(() => {
      if (scroller.clientHeight === height) return;
      height = scroller.clientHeight;
      if (wasAtEnd) scrollToEnd();
    });
    scroller.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(scroller);
    return () => {
      observer.disconnect();
      scroller.removeEventListener('scroll', onScroll);
    };
  }, [scrollRef, scrollToEnd, thresholdPx]);
}
