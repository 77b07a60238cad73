/**
 * Registers the site's service worker (scripts/service-worker.ts writes it at build time), which
 * keeps every page and file for offline use. When a new build is online, the browser installs its
 * worker on the next visit and holds it back; this says so in the page's update region and
 * switches only when the learner asks. The switch reloads the page: the lab page saves the
 * learner's code when a page is hidden (src/workbench/saving.ts), and the service worker never
 * touches the browser's storage, so autosaved code survives.
 */
import { SANDBOX_FRAME_URL, createSandboxFrame } from '../../grader/browser/sandbox-frame.ts';
import { href } from './paths.ts';

/** Which build's sandbox frame this browser has loaded once (see keepSandboxFrameForOffline). */
const FRAME_KEPT_KEY = 'virtlab.offline.sandbox-frame';

/**
 * Starts the service worker for pages under the site's base path; `region` is a polite live region.
 * It registers after the page has loaded, so that it never competes with the page's own files,
 * and uses the browser's API directly (a library for it cost every page 2 KB of script).
 */
export function registerServiceWorker(region: HTMLElement): void {
  if (!('serviceWorker' in navigator)) return;
  const start = () => void register(navigator.serviceWorker, region);
  if (document.readyState === 'complete') start();
  else addEventListener('load', start, { once: true });
}

async function register(container: ServiceWorkerContainer, region: HTMLElement): Promise<void> {
  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(href('/sw.js'), { scope: href('/') });
  } catch {
    return; // Offline use is an extra: a host or browser that refuses service workers leaves the site as it was.
  }
  // A new worker waits while an older one controls the page (since an earlier visit, or
  // installed during this one); a first install has nothing to replace and takes over at once.
  const offer = (worker: ServiceWorker) =>
    offerUpdate(region, () => {
      container.addEventListener('controllerchange', () => location.reload());
      worker.postMessage({ type: 'SKIP_WAITING' }); // the generated worker's Workbox listens for it
    });
  if (registration.waiting && container.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && container.controller) offer(installing);
    });
  });
  await keepSandboxFrameForOffline();
}

/**
 * The lab's test sandbox frame has an opaque origin, and Chromium never lets a service worker
 * answer such a frame's request, so offline it can only come from the browser's HTTP cache (the
 * host's long-lived caching of `_astro/`, README.md "Hosting the site"). A lab page fills that
 * cache by using the frame; here, once the site is kept for offline use, any page loads the frame
 * once, the same sandboxed way, so a lab never opened online still runs its tests offline.
 */
async function keepSandboxFrameForOffline(): Promise<void> {
  await navigator.serviceWorker.ready;
  try {
    if (localStorage.getItem(FRAME_KEPT_KEY) === SANDBOX_FRAME_URL) return;
  } catch {
    return;
  }
  const frame = createSandboxFrame();
  frame.addEventListener(
    'load',
    () => {
      frame.remove();
      try {
        localStorage.setItem(FRAME_KEPT_KEY, SANDBOX_FRAME_URL);
      } catch {
        // Not remembered: the next page loads it again.
      }
    },
    { once: true },
  );
  document.body.append(frame);
}

function offerUpdate(region: HTMLElement, update: () => void): void {
  if (region.querySelector('button')) return;
  const text = document.createElement('span');
  text.textContent = 'A new version of this course is available. ';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = 'Reload to update';
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Updating…';
    update();
  });
  // Later: the notice goes; the new version then arrives once every tab of the course is closed.
  const later = document.createElement('button');
  later.type = 'button';
  later.className = 'button';
  later.textContent = 'Later';
  later.addEventListener('click', () => region.replaceChildren());
  region.append(text, button, later);
}
