/**
 * `npm run test:loaded`: the whole suite (`npm test`) on a busy machine. Starts CPU-bound
 * burner processes (as many as the machine has cores, or VIRTLAB_LOAD_PROCESSES) for the whole
 * run, so verdicts that secretly depend on speed fail here rather than on a loaded CI machine.
 * Extra arguments go to `npm test` unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

const count = Number(process.env.VIRTLAB_LOAD_PROCESSES ?? availableParallelism());
if (!Number.isInteger(count) || count < 1 || count > 64) {
  console.error(`test:loaded: VIRTLAB_LOAD_PROCESSES must be a whole number from 1 to 64 (got "${process.env.VIRTLAB_LOAD_PROCESSES}").`);
  process.exit(2);
}

// Each burner spins until it is killed; it also ends by itself if this script dies without cleaning up.
const burnerCode = `const parent = ${process.pid}; for (let n = 0; ; n++) { if (n % 1e8 === 0) { try { process.kill(parent, 0); } catch { process.exit(0); } } }`;
const burners: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', burnerCode], { stdio: 'ignore' }));
const stopBurners = (): void => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('exit', stopBurners);

console.log(`test:loaded: ${count} CPU-bound process(es) running beside the suite (pids ${burners.map((b) => b.pid).join(', ')})`);
const started = Date.now();
const suite = spawn('npm', ['test', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    suite.kill(signal);
    stopBurners();
    process.exit(130);
  });
}
suite.on('exit', (code, signal) => {
  stopBurners();
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`test:loaded: npm test ${code === 0 ? 'passed' : `failed (${signal ?? `exit ${code}`})`} under load in ${minutes} min`);
  process.exit(code ?? 1);
});
