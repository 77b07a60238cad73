/**
 * The test sandbox's frame element, made one way for its two users: a sandbox for a run
 * (sandboxed-worker.ts) and the offline warm-up (src/lib/service-worker.ts), which loads it once so
 * the browser's cache has it. `sandbox="allow-scripts"` without `allow-same-origin` gives the frame
 * an opaque origin (grader/README.md, "The browser sandbox").
 */
import frameUrl from './sandbox-frame.html?url';

export const SANDBOX_FRAME_URL: string = frameUrl;

/** A hidden sandbox frame loading sandbox-frame.html; the caller adds it to the page. */
export function createSandboxFrame(): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = 'Test sandbox';
  frame.tabIndex = -1;
  frame.hidden = true;
  frame.src = frameUrl;
  return frame;
}
