/**
 * The model of lesson 4's chroot-escape explorable: one escape program run as root in a confined
 * tree, a system call at a time, under plain chroot or the minimal jail. After each call it
 * records what the kernel answered, where the attacker's root and working directory are (host
 * paths, from the kernel's process table), what the jail's rules refused, and the audit events
 * the kernel logged with the breaches it derives from them. Every verdict is the kernel's own:
 * `breaches()` for "got out", the host's file for "the host was hurt".
 */
import type { Errno, IsolationBreach, KernelAuditEvent, KernelProcessHandle, Syscalls } from '../../sim/kernel/index.ts';
import { policyFor } from './confinement.ts';
import { ESCAPES, type Actor, type Call } from './escapes.ts';
import type { Confinement, EscapeId } from './options.ts';
import { buildWorld, type EscapeWorld } from './world.ts';

export interface EscapeSettings {
  readonly seed: number;
  readonly escape: EscapeId;
  readonly confinement: Confinement;
}

/** What a successful read returned: the host's secret, the jail's copy, or something else. */
export type ReadKind = 'secret' | 'decoy' | 'other';

export interface StepRecord {
  readonly number: number;
  readonly actor: Actor;
  readonly call: string;
  /** null when the call succeeded. */
  readonly errno: Errno | null;
  readonly read: ReadKind | null;
  /** The jail's rules that said no during this call (none under plain chroot). */
  readonly refusals: readonly string[];
  /** The attacker's root and working directory after the call, as host paths. */
  readonly root: string;
  readonly cwd: string;
  /** Whether the working directory moved (for `chdir("..")` that stayed put). */
  readonly cwdMoved: boolean;
  readonly audit: readonly KernelAuditEvent[];
  /** The breaches the kernel derives from this call's audit events. */
  readonly breaches: readonly IsolationBreach[];
}

export interface EscapeOutcome {
  /** The kernel found the jail's process reaching outside its tree (its audit-derived breaches). */
  readonly escaped: boolean;
  /** A read by the attacker returned the host's secret. */
  readonly secretRead: boolean;
  /** The host's secret file no longer holds the secret. */
  readonly hostFileChanged: boolean;
  readonly breaches: readonly IsolationBreach[];
}

export class EscapeSession {
  readonly settings: EscapeSettings;
  readonly world: EscapeWorld;
  readonly #attacker: KernelProcessHandle;
  readonly #program: Generator<Call, void, void>;
  readonly #steps: StepRecord[] = [];
  #refusals: string[] = [];
  #outcome: EscapeOutcome | null = null;

  constructor(settings: EscapeSettings) {
    this.settings = settings;
    this.world = buildWorld(settings.seed);
    const { kernel, jail } = this.world;
    kernel.setPolicy(policyFor(settings.confinement, (why) => this.#refusals.push(why)));
    this.#attacker = kernel.spawn({ name: 'sh', context: jail.id, uid: 0 });
    let host: Syscalls | null = null;
    const actors = { jailed: this.#attacker.sys, host: () => (host ??= kernel.spawn({ name: 'rc' }).sys) };
    this.#program = ESCAPES[settings.escape](this.world, actors);
  }

  get steps(): readonly StepRecord[] {
    return this.#steps;
  }
  get finished(): boolean {
    return this.#outcome !== null;
  }
  /** The verdict, once the program has ended. */
  get outcome(): EscapeOutcome | null {
    return this.#outcome;
  }
  /** The attacker's root and working directory now (host paths). */
  get position(): { readonly root: string; readonly cwd: string } {
    const { rootPath, cwdPath } = this.#attacker.detail();
    return { root: rootPath, cwd: cwdPath };
  }

  #classify(value: string): ReadKind {
    if (value.includes(this.world.secret)) return 'secret';
    return value.includes(this.world.decoy) ? 'decoy' : 'other';
  }

  /** Makes the program's next system call; null once it has ended. */
  step(): StepRecord | null {
    if (this.finished) return null;
    const { kernel, jail } = this.world;
    const auditBefore = kernel.audit().length;
    const cwdBefore = this.position.cwd;
    this.#refusals = [];
    const next = this.#program.next();
    if (next.done) {
      this.#finish();
      return null;
    }
    const { actor, text, result } = next.value;
    const audit = kernel.audit().slice(auditBefore);
    const seqs = new Set(audit.map((event) => event.seq));
    const position = this.position;
    const record: StepRecord = {
      number: this.#steps.length + 1,
      actor,
      call: text,
      errno: result.ok ? null : result.errno,
      // Of these calls only reads return text.
      read: result.ok && typeof result.value === 'string' ? this.#classify(result.value) : null,
      refusals: this.#refusals,
      root: position.root,
      cwd: position.cwd,
      cwdMoved: position.cwd !== cwdBefore,
      audit,
      breaches: kernel.breaches(jail.id).filter((breach) => seqs.has(breach.event.seq)),
    };
    this.#steps.push(record);
    if (next.value.final) this.#finish();
    return record;
  }

  #finish(): void {
    const { kernel, jail, secretPath, secret } = this.world;
    const breaches = kernel.breaches(jail.id);
    this.#outcome = {
      escaped: breaches.length > 0,
      secretRead: this.#steps.some((step) => step.actor === 'jailed root' && step.read === 'secret'),
      hostFileChanged: kernel.readFile(secretPath) !== secret,
      breaches,
    };
  }

  /** Steps until the program ends; the last step is known only when the program says so. */
  runToEnd(): readonly StepRecord[] {
    while (!this.finished) this.step();
    return this.#steps;
  }
}
