/**
 * The course's sourced figures, each stated once. Lessons show one with <Fact id="…" />,
 * quiz generators draw their numbers from it, and tests/content/figures.test.ts fails wherever a
 * lesson, glossary entry, diagram or generator states a figure that disagrees with this table.
 *
 * The lecture's figures are quoted from the lecture (content/lecture/), the others from the
 * primary source named in `source`; a figure that cannot be traced to a source does not belong here.
 */

/** A range (1–3%), a ceiling ("up to 10%") or a single value (17, 210 ms). */
export type FigureValue =
  | { readonly kind: 'range'; readonly low: number; readonly high: number }
  | { readonly kind: 'upTo'; readonly max: number }
  | { readonly kind: 'exact'; readonly value: number };

export interface SourcedFigure {
  /** What the figure measures, in a phrase. */
  readonly what: string;
  readonly value: FigureValue;
  readonly unit: '%' | 'ms' | '×' | '';
  /** Where it comes from, as the lessons' source lists cite it. */
  readonly source: string;
  /**
   * How prose states this figure when it does not use <Fact>: each pattern's capture groups are
   * the figure's numbers (low and high for a range), so the test can compare them with `value`.
   */
  readonly statedAs?: readonly RegExp[];
}

const LECTURE = 'S. Luo, Advanced Unix System Administration, lecture 24, 26 April 2007';
const CLARK = 'C. Clark et al., "Live Migration of Virtual Machines", NSDI 2005';
const WALDSPURGER = 'C. A. Waldspurger, "Memory Resource Management in VMware ESX Server", OSDI 2002';

export const FIGURES = {
  'lecture-isolation-overhead': {
    what: 'overhead of OS-level isolation, "in most implementations"',
    value: { kind: 'range', low: 1, high: 3 },
    unit: '%',
    source: LECTURE,
  },
  'lecture-hypervisor-overhead': {
    what: 'overhead of hypervisors, "more than in-kernel isolation"',
    value: { kind: 'upTo', max: 10 },
    unit: '%',
    source: LECTURE,
  },
  'lecture-xen-overhead': {
    what: "Xen's overhead (the slide gives it for Xen as a whole, not for one of its modes)",
    value: { kind: 'range', low: 3, high: 8 },
    unit: '%',
    source: LECTURE,
  },
  'lecture-fullvirt-overhead': {
    what: 'overhead of full virtualization, "typical"',
    value: { kind: 'range', low: 30, high: 50 },
    unit: '%',
    source: LECTURE,
  },
  'robin-irvine-count': {
    what: 'sensitive, unprivileged instructions of the IA-32 Pentium, by the paper\'s count',
    value: { kind: 'exact', value: 17 },
    unit: '',
    source: 'J. S. Robin and C. E. Irvine, 9th USENIX Security Symposium, 2000',
    statedAs: [/\b(\d+)\s+(?:sensitive|problem)[\w ,-]{0,30}?instructions/gi, /unprivileged:\s*(\d+)/gi, /(\d+),? by the paper's count/gi],
  },
  'clark-specweb-downtime': {
    what: 'downtime of a live-migrated SPECweb server',
    value: { kind: 'exact', value: 210 },
    unit: 'ms',
    source: CLARK,
    statedAs: [/(\d+)\s*ms\W+for a web server/gi],
  },
  'clark-quake-downtime': {
    what: 'downtime of a live-migrated Quake 3 server ("as low as")',
    value: { kind: 'exact', value: 60 },
    unit: 'ms',
    source: CLARK,
    statedAs: [/(\d+)\s*ms\W+for a Quake/gi],
  },
  'qemu-downtime-limit': {
    what: "QEMU's default limit on migration downtime",
    value: { kind: 'exact', value: 300 },
    unit: 'ms',
    source: 'QEMU migration parameters (downtime-limit)',
    statedAs: [/downtime limit (?:is |of )?(\d+)\s*ms/gi],
  },
  'waldspurger-tax-rate': {
    what: 'default idle memory tax rate τ',
    value: { kind: 'exact', value: 75 },
    unit: '%',
    source: WALDSPURGER,
    statedAs: [/default (?:tax rate )?τ\s*=\s*(\d+)\s*%/g],
  },
  'waldspurger-idle-cost': {
    what: 'cost of an idle page relative to an active one at the default tax rate, k = 1/(1−τ)',
    value: { kind: 'exact', value: 4 },
    unit: '×',
    source: WALDSPURGER,
    statedAs: [/(\d+)\s*×\s+(?:as much as|the cost of) an active/gi],
  },
} as const satisfies Record<string, SourcedFigure>;

export type FigureId = keyof typeof FIGURES;

/** The figure with this id, or an error that names the table and the known ids. */
export function figure(id: string): SourcedFigure {
  const found = (FIGURES as Record<string, SourcedFigure>)[id];
  if (!found) {
    throw new Error(`No figure "${id}" in src/facts/figures.ts. Known figures: ${Object.keys(FIGURES).join(', ')}.`);
  }
  return found;
}

/** How a figure reads in prose: "1–3%", "up to 10%", "210 ms", "4×", "17". */
export function formatFigure(fig: SourcedFigure): string {
  const unit = fig.unit === 'ms' ? ' ms' : fig.unit;
  switch (fig.value.kind) {
    case 'range':
      return `${fig.value.low}–${fig.value.high}${unit}`;
    case 'upTo':
      return `up to ${fig.value.max}${unit}`;
    case 'exact':
      return `${fig.value.value}${unit}`;
  }
}

/** How a figure reads aloud, for a diagram's description: "1 to 3 percent", "up to 10 percent". */
export function spokenFigure(id: FigureId): string {
  const fig: SourcedFigure = FIGURES[id];
  const unit = { '%': ' percent', ms: ' milliseconds', '×': ' times', '': '' }[fig.unit];
  switch (fig.value.kind) {
    case 'range':
      return `${fig.value.low} to ${fig.value.high}${unit}`;
    case 'upTo':
      return `up to ${fig.value.max}${unit}`;
    case 'exact':
      return `${fig.value.value}${unit}`;
  }
}

/** The display text of the figure with this id. */
export function figureText(id: FigureId): string {
  return formatFigure(FIGURES[id]);
}

/** Every whole number inside a range or up to a ceiling, for generators that draw a value from it. */
export function wholeNumbersIn(id: FigureId): number[] {
  const { value } = FIGURES[id] as SourcedFigure;
  const [low, high] = value.kind === 'range' ? [value.low, value.high] : value.kind === 'upTo' ? [0, value.max] : [value.value, value.value];
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}
