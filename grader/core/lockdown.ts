/**
 * Hardening of the JavaScript realm that runs learner code, applied before any learner code runs.
 *
 * Learner code shares one realm with the tests and the matchers, so anything it can reach it
 * could rewrite to fake a pass (`Array.prototype.includes = () => true`, a matcher that always
 * passes, ...). {@link lockdownRealm} removes every global that is not an ECMAScript built-in and
 * freezes all intrinsics; {@link harden} freezes the test API and the simulator the same way.
 * The idea follows SES (Secure ECMAScript); this is a small subset written for the grader.
 */

/** ECMAScript built-ins learner code may use; every other global is removed or shadowed. */
const ALLOWED_GLOBALS: readonly string[] = [
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Object', 'Function', 'Boolean', 'Symbol', 'Error', 'AggregateError', 'EvalError', 'RangeError',
  'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'SuppressedError', 'Number', 'BigInt', 'Math',
  'Date', 'String', 'RegExp', 'Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'ArrayBuffer',
  'DataView', 'JSON', 'Promise', 'Reflect', 'Proxy', 'Intl', 'Iterator', 'DisposableStack',
  'AsyncDisposableStack',
];

/**
 * Data properties on prototypes that ordinary code assigns on instances (`this.name = ...` in an
 * Error subclass, `obj.toString = ...`). Freezing the prototype would make such assignments throw
 * (the "override mistake"), so these become accessors whose setter defines the property on the
 * instance instead.
 */
const OVERRIDABLE: Readonly<Record<string, readonly string[]>> = {
  Object: ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable'],
  Function: ['constructor', 'toString', 'bind', 'apply', 'call'],
  Error: ['constructor', 'name', 'message', 'toString'],
  EvalError: ['constructor', 'name', 'message'],
  RangeError: ['constructor', 'name', 'message'],
  ReferenceError: ['constructor', 'name', 'message'],
  SyntaxError: ['constructor', 'name', 'message'],
  TypeError: ['constructor', 'name', 'message'],
  URIError: ['constructor', 'name', 'message'],
  AggregateError: ['constructor', 'name', 'message'],
  Array: ['constructor', 'toString', 'push'],
  Promise: ['constructor'],
};

// Captured once: learner code runs later and must not be able to change what these do.
const { freeze, getOwnPropertyDescriptor, getPrototypeOf, defineProperty, hasOwn, isFrozen } = Object;
const { ownKeys } = Reflect;

/** Freezes `root` and everything reachable from it through properties and prototypes. */
export function harden<T>(root: T): T {
  const seen = new Set<unknown>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      // Typed arrays with elements cannot be frozen; their buffers stay writable, so none
      // may be part of anything the harness relies on.
      pending.push(getPrototypeOf(value));
      continue;
    }
    freeze(value);
    pending.push(getPrototypeOf(value));
    for (const key of ownKeys(value)) {
      const descriptor = getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue;
      if ('value' in descriptor) pending.push(descriptor.value);
      else pending.push(descriptor.get, descriptor.set);
    }
  }
  return root;
}

function makeOverridable(prototype: object, key: string): void {
  const descriptor = getOwnPropertyDescriptor(prototype, key);
  if (descriptor === undefined || !('value' in descriptor) || !descriptor.configurable) return;
  const value: unknown = descriptor.value;
  defineProperty(prototype, key, {
    get: function getIntrinsic() {
      return value;
    },
    set: function overrideOnInstance(this: object, replacement: unknown) {
      if (this === prototype) throw new TypeError(`Cannot change the frozen built-in ${key}`);
      if (hasOwn(this, key)) (this as Record<string, unknown>)[key] = replacement;
      else defineProperty(this, key, { value: replacement, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable === true,
    configurable: false,
  });
}

/** Intrinsics that no global names but that code can reach (iterator prototypes and the like). */
function hiddenIntrinsics(): unknown[] {
  const found: unknown[] = [];
  const add = (make: () => unknown): void => {
    try {
      found.push(make());
    } catch {
      // Not every engine has every intrinsic (e.g. iterator helpers); skip the missing ones.
    }
  };
  add(() => getPrototypeOf(function* generator() {}));
  add(() => getPrototypeOf(async function asyncFunction() {}));
  add(() => getPrototypeOf(async function* asyncGenerator() {}));
  add(() => getPrototypeOf([][Symbol.iterator]()));
  add(() => getPrototypeOf(new Map()[Symbol.iterator]()));
  add(() => getPrototypeOf(new Set()[Symbol.iterator]()));
  add(() => getPrototypeOf(''[Symbol.iterator]()));
  add(() => getPrototypeOf('a'.matchAll(/a/g)));
  add(() => getPrototypeOf(Uint8Array));
  // Iterator helpers are newer than the TypeScript lib this project targets.
  add(() => getPrototypeOf((([] as unknown[]).values() as unknown as { map(f: (x: unknown) => unknown): object }).map((x) => x)));
  add(() => getPrototypeOf((globalThis as unknown as { Iterator: { from(i: object): object } }).Iterator.from({ next: () => ({ done: true, value: undefined }) })));
  add(() => getOwnPropertyDescriptor(Function.prototype, 'caller')?.get);
  add(() => getPrototypeOf((async function* asyncGenerator() {})()[Symbol.asyncIterator]()));
  return found;
}

/**
 * Removes non-ECMAScript globals (timers, `fetch`, `postMessage`, `WebAssembly`, ...), installs
 * `console`, freezes every intrinsic and the global object. Call once per realm, after the harness
 * and the simulator are loaded and before learner code runs.
 * @param console the console learner code and tests will see (the harness's capturing console)
 */
export function lockdownRealm(console: object): void {
  const global = globalThis as unknown as Record<string, unknown>;
  const allowed = new Set(ALLOWED_GLOBALS);
  // Own globals that are not allowed are deleted; inherited ones (a worker's WorkerGlobalScope
  // prototype) are shadowed, so both `foo` and `globalThis.foo` read undefined.
  for (let object: object | null = global; object !== null && object !== Object.prototype; object = getPrototypeOf(object)) {
    for (const key of ownKeys(object)) {
      if (typeof key !== 'string' || allowed.has(key)) continue;
      if (object === global && delete global[key]) continue;
      try {
        defineProperty(global, key, { value: undefined, writable: false, enumerable: false, configurable: false });
      } catch {
        // A few host globals cannot be redefined; freezing below still stops their replacement.
      }
    }
  }
  defineProperty(global, 'console', { value: console, writable: false, enumerable: false, configurable: false });

  for (const [name, keys] of Object.entries(OVERRIDABLE)) {
    const constructor = global[name] as { prototype?: object } | undefined;
    if (constructor?.prototype === undefined) continue;
    for (const key of keys) makeOverridable(constructor.prototype, key);
  }
  for (const name of ALLOWED_GLOBALS) {
    if (name !== 'globalThis') harden(global[name]);
  }
  for (const intrinsic of hiddenIntrinsics()) harden(intrinsic);
  harden(console);
  freezeGlobal(global);
}

/** Freezes the global object; some hosts' globals (a node:vm context's) refuse, so lock each property. */
function freezeGlobal(global: Record<string, unknown>): void {
  try {
    freeze(global);
    return;
  } catch {
    // fall through to per-property locking
  }
  for (const key of ownKeys(global)) {
    const descriptor = getOwnPropertyDescriptor(global, key);
    // Accessors are left alone: redefining them on a node:vm global breaks their getters.
    if (descriptor === undefined || !descriptor.configurable || !('value' in descriptor)) continue;
    try {
      defineProperty(global, key, { value: descriptor.value, writable: false, configurable: false });
    } catch {
      // best effort: the sandbox proper (isolate or worker) does not rely on this path
    }
  }
  try {
    Object.preventExtensions(global);
  } catch {
    // as above
  }
}

/** True when {@link lockdownRealm} has run in this realm. */
export function isLockedDown(): boolean {
  return isFrozen(globalThis) && isFrozen(Object.prototype);
}
