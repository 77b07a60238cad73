/**
 * Counts what Chromium really transfers over the network for everything a browser context loads:
 * pages, frames and the workers they start (a worker fetches its own script and imports on its own
 * DevTools target, which a page's CDP session never sees). It speaks raw CDP over the browser's
 * debugging port so it can auto-attach to every target, and can throttle each one the same way.
 * Used by scripts/bench-lab.ts.
 */
type Message = { id?: number; method?: string; params?: Record<string, unknown>; sessionId?: string; result?: unknown; error?: { message: string } };

/** Network conditions in CDP's units: latency in ms, throughput in bytes per second. */
export interface Throttle {
  latency: number;
  downloadThroughput: number;
  uploadThroughput: number;
}

export interface TransferMeter {
  /** Bytes received: encodedDataLength of every finished request (compressed body + headers). */
  readonly bytes: number;
  readonly scriptBytes: number;
  /** Requests counted so far, for `largest(…, since)`. */
  readonly requests: number;
  /** The largest transfers, by URL (a URL fetched twice counts twice), of the requests counted after the `since`-th. */
  largest(count: number, since?: number): { url: string; bytes: number }[];
  throttle(conditions: Throttle | null): Promise<void>;
  clearCache(): Promise<void>;
  close(): void;
}

/**
 * Connects to Chromium started with `--remote-debugging-port=<port>` and counts the requests to
 * `origin` (the browser's own chrome:// pages are not the site's weight).
 */
export async function meterTransfers(port: number, origin: string): Promise<TransferMeter> {
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const socket = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((ready, fail) => {
    socket.onopen = ready;
    socket.onerror = () => fail(new Error(`cdp-transfer: cannot connect to Chromium's debugging port ${port}.`));
  });
  let nextId = 1;
  const waiting = new Map<number, (message: Message) => void>();
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Message>((done) => {
      const id = nextId++;
      waiting.set(id, done);
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const sessions = new Set<string>();
  // A target can be reached twice (from the browser and from its page): count a request once.
  const counted = new Set<string>();
  let conditions: Throttle | null = null;
  const meter = { bytes: 0, scriptBytes: 0, requests: 0 };
  const transfers: { url: string; bytes: number }[] = [];
  const responses = new Map<string, { type: string; url: string; fromNetwork: boolean; declared: number; received: number; session?: string }>();
  const cached = new Set<string>();
  const applyThrottle = (sessionId: string) =>
    send('Network.emulateNetworkConditions', { offline: false, ...(conditions ?? { latency: 0, downloadThroughput: -1, uploadThroughput: -1 }) }, sessionId);

  socket.onmessage = async (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id !== undefined) {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
      return;
    }
    const params = message.params ?? {};
    const key = String(params.requestId);
    if (message.method === 'Target.attachedToTarget') {
      const sessionId = params.sessionId as string;
      sessions.add(sessionId);
      await send('Network.enable', {}, sessionId);
      await applyThrottle(sessionId);
      await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
      await send('Runtime.runIfWaitingForDebugger', {}, sessionId);
    } else if (message.method === 'Target.detachedFromTarget') {
      sessions.delete(params.sessionId as string);
    } else if (message.method === 'Network.responseReceived') {
      const response = params.response as { url: string; status: number; headers: Record<string, string>; encodedDataLength?: number; fromDiskCache?: boolean; fromPrefetchCache?: boolean; fromServiceWorker?: boolean };
      if (responses.has(key)) return; // the same request seen through a second session
      const fromNetwork = !cached.has(key) && response.status !== 304 && !response.fromDiskCache && !response.fromPrefetchCache && !response.fromServiceWorker;
      const length = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-length')?.[1];
      const declared = fromNetwork && length ? Number(length) + (response.encodedDataLength ?? 0) : 0;
      responses.set(key, { type: params.type as string, url: response.url, fromNetwork, declared, received: 0, session: message.sessionId });
    } else if (message.method === 'Network.requestServedFromCache') {
      cached.add(key);
    } else if (message.method === 'Network.dataReceived') {
      const response = responses.get(key);
      if (response && response.session === message.sessionId) response.received += params.encodedDataLength as number;
    } else if (message.method === 'Network.loadingFinished') {
      const response = responses.get(key);
      if (!response || !response.url.startsWith(origin) || response.session !== message.sessionId || counted.has(key)) return;
      counted.add(key);
      // Chromium fetches a dedicated worker's script in the browser process and reports only its
      // headers here; the body's size is then what the response declared (gzipped by the host).
      const bytes = Math.max(params.encodedDataLength as number, response.received, response.declared);
      meter.requests++;
      transfers.push({ url: response?.url ?? '(unknown)', bytes });
      meter.bytes += bytes;
      if (response?.type === 'Script') meter.scriptBytes += bytes;
    }
  };
  await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });

  return {
    get bytes() {
      return meter.bytes;
    },
    get scriptBytes() {
      return meter.scriptBytes;
    },
    get requests() {
      return meter.requests;
    },
    largest(count, since = 0) {
      return transfers.slice(since).sort((a, b) => b.bytes - a.bytes).slice(0, count);
    },
    async throttle(next) {
      conditions = next;
      await Promise.all([...sessions].map(applyThrottle));
    },
    async clearCache() {
      const [any] = sessions;
      if (any) await send('Network.clearBrowserCache', {}, any);
    },
    close: () => socket.close(),
  };
}
