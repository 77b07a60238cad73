/**
 * Every explorable by id, each loaded on demand: a dynamic import per entry keeps each one's
 * model (and the simulator parts it uses) in its own chunk, out of the lesson page's first load.
 */
import type { ExplorableModule } from './types.ts';

export const EXPLORABLES: Readonly<Record<string, () => Promise<ExplorableModule>>> = {
  'trap-and-emulate': () => import('./trap-and-emulate/view.ts'),
  'pre-copy': () => import('./pre-copy/view.ts'),
  'escape-chroot': () => import('./escape-chroot/view.ts'),
  consolidation: () => import('./consolidation/view.ts'),
  'where-cycles-go': () => import('./where-cycles-go/view.ts'),
  'fair-shares': () => import('./fair-shares/view.ts'),
  'two-dimensional-walk': () => import('./two-dimensional-walk/view.ts'),
};
