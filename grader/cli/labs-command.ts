/** `virtlab labs`: every lab with its version and points; broken labs say what is wrong. */
import { join } from 'node:path';
import { listLabIds, loadLab } from '../node/lab-loader.ts';
import type { CliIo } from './main.ts';
import { EXIT } from './exit-codes.ts';

export async function runLabs(labsDir: string, io: CliIo): Promise<number> {
  const ids = await listLabIds(labsDir);
  if (ids.length === 0) {
    io.stderr.write(`virtlab: no labs in ${labsDir} (a lab is a folder with a lab.json). Use --labs-dir to point elsewhere.\n`);
    return EXIT.usage;
  }
  let broken = 0;
  io.stdout.write('Lab                  Version  Public  Hidden  Total  Title\n');
  for (const id of ids) {
    try {
      const { manifest } = await loadLab(join(labsDir, id));
      const { public: pub, hidden } = manifest.points;
      io.stdout.write(`${id.padEnd(20)} ${String(manifest.version).padStart(7)}  ${String(pub).padStart(6)}  ${String(hidden).padStart(6)}  ${String(pub + hidden).padStart(5)}  ${manifest.title}\n`);
    } catch (error) {
      broken += 1;
      io.stdout.write(`${id.padEnd(20)} BROKEN: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return broken > 0 ? EXIT.labOrGrader : EXIT.ok;
}
