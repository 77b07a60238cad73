/** `virtlab package`: placeholder until the packaging module lands. */
import type { CliIo } from './main.ts';
import { EXIT } from './exit-codes.ts';

export async function runPackage(_options: { lab: string; target: string; labsDir: string; out?: string }, io: CliIo): Promise<number> {
  io.stderr.write('virtlab: package is not available yet\n');
  return EXIT.usage;
}
