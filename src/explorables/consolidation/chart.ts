/**
 * A host's week as a small line chart: CPU and memory as shares of the host at each hourly
 * sample, under the headroom line and the top of the host. Decoration only (aria-hidden): the
 * card's text and the table say the same in words.
 */
import { svgElement as svg } from '../../workbench/dom.ts';

/** Height of the drawing: 0 is the host full (100 %), HEIGHT is empty. */
const HEIGHT = 100;
const y = (share: number) => (HEIGHT * (1 - Math.min(1, share))).toFixed(2);
const points = (shares: readonly number[]) => shares.map((share, t) => `${t},${y(share)}`).join(' ');

export interface ChartInput {
  readonly cpu: readonly number[];
  readonly memory: readonly number[];
  /** 1 − headroom: the line no sample may cross. */
  readonly limit: number;
  /** A sample to mark (the host's busiest), or null. */
  readonly mark: number | null;
}

export function loadChart({ cpu, memory, limit, mark }: ChartInput): SVGElement {
  const width = Math.max(1, cpu.length - 1);
  const chart = svg('svg', { class: 'cn-chart', viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  chart.append(
    svg('line', { class: 'cn-limit', x1: '0', x2: String(width), y1: y(limit), y2: y(limit) }),
    mark === null ? svg('g', {}) : svg('line', { class: 'cn-mark', x1: String(mark), x2: String(mark), y1: '0', y2: String(HEIGHT) }),
    svg('polyline', { class: 'cn-memory', points: points(memory) }),
    svg('polyline', { class: 'cn-cpu', points: points(cpu) }),
  );
  return chart;
}
