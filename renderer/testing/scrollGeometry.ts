/** Where things are in a scrolled list, in CSS pixels, read from the real layout. */

/** The rendered message with this seq, or undefined when the virtualizer has not rendered it. */
export function messageElement(scroller: HTMLElement, seq: number): HTMLElement | undefined {
  return scroller.querySelector<HTMLElement>(`[data-testid="message"][data-seq="${seq}"]`) ?? undefined;
}

/** The virtualizer's row (message plus the separators below it) holding the message with this seq. */
export function rowElement(scroller: HTMLElement, seq: number): HTMLElement | undefined {
  return messageElement(scroller, seq)?.closest<HTMLElement>('[data-index]') ?? undefined;
}

/**
 * Distance from the scroller's top edge to the element's top edge (negative: above the visible part);
 * NaN for an element that is not rendered, which fails any comparison.
 */
export function offsetInView(scroller: HTMLElement, element: Element | undefined): number {
  if (!element) return Number.NaN;
  return element.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
}

/** Whether the element is rendered and lies wholly inside the scroller's visible part. */
export function fullyInView(scroller: HTMLElement, element: Element | undefined): boolean {
  if (!element) return false;
  const view = scroller.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  return box.top >= view.top - 0.5 && box.bottom <= view.bottom + 0.5;
}

/** How far the scroller is from its bottom (0 when scrolled all the way down). */
export function distanceFromBottom(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
}

/** The seqs of the messages wholly visible, top to bottom. */
export function visibleSeqs(scroller: HTMLElement): number[] {
  return [...scroller.querySelectorAll<HTMLElement>('[data-testid="message"][data-seq]')]
    .filter((element) => fullyInView(scroller, element))
    .map((element) => Number(element.dataset.seq))
    .sort((a, b) => a - b);
}

/**
 * Resolves once the scroller's position and content height have held still for `frames` animation frames.
 * The virtualizer keeps steering a scroll it started (to the end, to a row) until the target has held for
 * a couple of frames, so only then is what happens next the list's answer to it rather than that scroll.
 */
export function atRest(scroller: HTMLElement, frames = 5): Promise<void> {
  return new Promise((resolve) => {
    let last = '';
    let still = 0;
    const check = () => {
      const now = `${scroller.scrollTop}/${scroller.scrollHeight}`;
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= frames) resolve();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}
