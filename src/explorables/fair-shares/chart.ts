/**
 * One VM's run as a small step chart: the CPU it got in each window (solid) against its
 * entitlement (dashed), 0 to 100 % of one physical CPU, with a mark where a VM went idle.
 * Decoration only (aria-hidden): the card's text and the table say the same in words.
 */
import { svgElement as svg } from '../../workbench/dom.ts';

const HEIGHT = 100;
/** Room above 100 % and below 0 %, so a line at either is drawn whole and not cut by the edge. */
const PAD = 4;
const y = (percent: number) => (HEIGHT * (1 - Math.min(100, Math.max(0, percent)) / 100)).toFixed(2);
/** Each window as a flat segment, so a window reads as a whole and not as a point. */
const steps = (values: readonly number[]) => values.flatMap((value, w) => [`${w},${y(value)}`, `${w + 1},${y(value)}`]).join(' ');

export interface ShareChartInput {
  readonly got: readonly number[];
  readonly entitled: readonly number[];
  /** Windows the whole run has (the x axis), so a chart drawn mid-run keeps its scale. */
  readonly windows: number;
  /** The window at which a VM went idle, or null. */
  readonly idleFrom: number | null;
}

export function shareChart({ got, entitled, windows, idleFrom }: ShareChartInput): SVGElement {
  const chart = svg('svg', { class: 'fs-chart', viewBox: `0 ${-PAD} ${windows} ${HEIGHT + 2 * PAD}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  chart.append(
    idleFrom === null ? svg('g', {}) : svg('line', { class: 'fs-mark', x1: String(idleFrom), x2: String(idleFrom), y1: String(-PAD), y2: String(HEIGHT + PAD) }),
    svg('polyline', { class: 'fs-entitled', points: steps(entitled) }),
    svg('polyline', { class: 'fs-got', points: steps(got) }),
  );
  return chart;
}
