/**
 * virtlab's simulated machine: the public API every lab is written against.
 *
 * Runs unchanged in Node, in a browser Web Worker and inside the grader's isolate, so it uses
 * ECMAScript built-ins only (no Node, DOM or timer APIs).
 * @packageDocumentation
 */
export { SimError, type SimErrorCode } from './common/errors.ts';
export { SeededRandom } from './common/rng.ts';
export { EventTrace } from './common/trace.ts';
export * from './machine/index.ts';
export * from './hv/index.ts';
export * from './guests/index.ts';
export * from './kernel/index.ts';
export * from './cluster/index.ts';
export * from './sched/index.ts';
