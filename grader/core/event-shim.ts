/**
 * Minimal `EventTarget` and `Event` for realms that have only ECMAScript built-ins (an
 * isolated-vm isolate, a `node:vm` context). chai creates one EventTarget at load time to tell
 * plugins about new assertions; nothing in the grader listens, so a tiny stand-in is enough.
 * Browsers and Node have the real ones and keep them.
 */
const global = globalThis as unknown as Record<string, unknown>;

if (typeof global['Event'] !== 'function') {
  global['Event'] = class Event {
    readonly type: string;
    constructor(type: string) {
      this.type = String(type);
    }
  };
}

if (typeof global['EventTarget'] !== 'function') {
  type Listener = (event: { type: string }) => void;
  global['EventTarget'] = class EventTarget {
    readonly #listeners = new Map<string, Listener[]>();
    addEventListener(type: string, listener: Listener): void {
      const list = this.#listeners.get(type) ?? [];
      list.push(listener);
      this.#listeners.set(type, list);
    }
    removeEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, (this.#listeners.get(type) ?? []).filter((l) => l !== listener));
    }
    dispatchEvent(event: { type: string }): boolean {
      for (const listener of this.#listeners.get(event.type) ?? []) listener(event);
      return true;
    }
  };
}

export {};
