/**
 * Loads an explorable once: when it comes near the screen, or at once when the learner presses
 * one of its buttons first. Until then the lesson page has loaded none of its code.
 */
export function whenNearScreen(element: Element, callback: () => void): void {
  if (typeof IntersectionObserver !== 'function') return; // the buttons still load it
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      callback();
    },
    { rootMargin: '200px 0px' },
  );
  observer.observe(element);
}

/** A loader that starts the import on first call and hands everyone the same promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= load());
}
