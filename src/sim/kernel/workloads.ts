/**
 * Reference workloads for the isolation kernel: programs whose cost is measured to compare a
 * process on the host with the same process in a context (the lecture's 1–3% claim).
 */
import { requireArgument } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';
import type { SysResult } from './errno.ts';
import type { IsolationKernel } from './kernel.ts';
import type { KernelProgram, Syscalls } from './syscalls.ts';

/** Parameters of {@link referenceWebWorkload}. */
export interface ReferenceWebWorkloadOptions {
  /** How many requests to serve. */
  readonly requests: number;
  /** Chooses which page each request asks for. */
  readonly seed: number;
  /** Directory holding `pages/` and `logs/`, as seen by the server process; default `/srv/www`. */
  readonly docroot?: string;
  /** Port to listen on; default 8080. */
  readonly port?: number;
  /** Application work per request in simulated ns (templating, parsing); default 4000. */
  readonly appNsPerRequest?: number;
}

/** How many pages {@link installReferenceSite} creates. */
export const REFERENCE_SITE_PAGES = 16;

/**
 * Creates the files the reference web workload serves under `docroot` (a host path), with
 * page sizes drawn from `seed`. Call it once for the host's copy and once inside a jail's root.
 */
export function installReferenceSite(kernel: IsolationKernel, docroot: string, seed: number): void {
  const random = new SeededRandom(seed);
  for (let page = 0; page < REFERENCE_SITE_PAGES; page++) {
    const size = random.int(512, 8192);
    kernel.writeFile(`${docroot}/pages/page-${page}.html`, 'x'.repeat(size), { mode: 0o644 });
  }
  kernel.makeDir(`${docroot}/logs`, { mode: 0o755 });
}

/**
 * A small static web server talking to itself: for each request it accepts a loopback
 * connection, stats and reads a page, writes it to the connection, appends a log line and does
 * some application work. Returns the number of requests served; a failing call ends it early.
 */
export function referenceWebWorkload(options: ReferenceWebWorkloadOptions): KernelProgram {
  requireArgument(Number.isSafeInteger(options.requests) && options.requests > 0, 'requests must be a positive integer');
  const docroot = options.docroot ?? '/srv/www';
  const port = options.port ?? 8080;
  const appNs = options.appNsPerRequest ?? 4000;
  return (sys: Syscalls) => {
    const random = new SeededRandom(options.seed);
    const listener = must(sys.socket());
    must(sys.bind(listener, '0.0.0.0', port));
    must(sys.listen(listener));
    const log = must(sys.open(`${docroot}/logs/access.log`, 'a'));
    let served = 0;
    for (let i = 0; i < options.requests; i++) {
      const client = must(sys.socket());
      must(sys.connect(client, '127.0.0.1', port));
      const connection = must(sys.accept(listener));
      const page = `${docroot}/pages/page-${random.int(0, REFERENCE_SITE_PAGES - 1)}.html`;
      const info = must(sys.stat(page));
      const file = must(sys.open(page, 'r'));
      const body = must(sys.read(file));
      must(sys.close(file));
      must(sys.write(connection, `HTTP/1.0 200 OK\r\nContent-Length: ${info.size}\r\n\r\n${body}`));
      must(sys.write(log, `GET ${page} 200 ${info.size}\n`));
      must(sys.close(connection));
      must(sys.close(client));
      sys.compute(appNs);
      served++;
    }
    return served;
  };
}

/** Unwraps a result or stops the workload (a workload that fails is not a measurement). */
function must<T>(result: SysResult<T>): T {
  if (!result.ok) throw new Error(`reference workload failed: ${result.errno}`);
  return result.value;
}
