/**
 * The similarity reports: a CSV of every pair and a self-contained HTML page of the pairs at or
 * above the threshold, their shared fragments side by side. Names, paths and code come from
 * learners, so every one is escaped (HTML) or quoted (CSV) and stripped of control characters.
 */
import { csvCell } from '../node/reports.ts';
import { plainText, singleLine } from '../node/safe-text.ts';
import type { SimilarPair } from './compare.ts';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

function percent(similarity: number): string {
  return `${(similarity * 100).toFixed(1)} %`;
}

/** One row per pair, most similar first: who, how similar, how many fragments, flagged or not. */
export function similarityCsv(pairs: readonly SimilarPair[], threshold: number): string {
  const rows = [['student_a', 'student_b', 'similarity', 'longest_run_fingerprints', 'fragments', 'flagged', 'source_a', 'source_b'].join(',')];
  for (const p of pairs) {
    rows.push([singleLine(p.left.student), singleLine(p.right.student), p.similarity.toFixed(4), p.longest, p.fragments.length, p.similarity >= threshold ? 'yes' : 'no', singleLine(p.left.source), singleLine(p.right.source)].map(csvCell).join(','));
  }
  return `${rows.join('\n')}\n`;
}

function excerpt(text: string, range: { startLine: number; endLine: number }): string {
  const lines = plainText(text).split('\n').slice(range.startLine - 1, range.endLine);
  return lines.map((line, i) => `<span class="n">${range.startLine + i}</span>${escapeHtml(line)}`).join('\n');
}

function pairSection(pair: SimilarPair, rank: number): string {
  const a = escapeHtml(singleLine(pair.left.student));
  const b = escapeHtml(singleLine(pair.right.student));
  const fragments = pair.fragments
    .map((f, i) => `<tr><th scope="row">${i + 1}</th><td><pre tabindex="0">${excerpt(pair.left.text, f.left)}</pre></td><td><pre tabindex="0">${excerpt(pair.right.text, f.right)}</pre></td></tr>`)
    .join('\n');
  return `<section id="pair-${rank}">
<h2>${rank}. ${a} and ${b}: ${percent(pair.similarity)}</h2>
<p>Files: <code>${escapeHtml(singleLine(pair.left.source))}</code> and <code>${escapeHtml(singleLine(pair.right.source))}</code>. ${pair.fragments.length} shared fragment(s); the longest is ${pair.longest} consecutive fingerprints.</p>
<table><caption>Shared fragments of ${a} and ${b}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${a}</th><th scope="col">${b}</th></tr></thead>
<tbody>
${fragments}
</tbody></table>
</section>`;
}

/** The HTML report: a ranked table of flagged pairs, then each pair's fragments side by side. */
export function similarityHtml(labTitle: string, pairs: readonly SimilarPair[], threshold: number): string {
  const flagged = pairs.filter((p) => p.similarity >= threshold);
  const rows = flagged
    .map((p, i) => `<tr><td>${i + 1}</td><td><a href="#pair-${i + 1}">${escapeHtml(singleLine(p.left.student))}</a></td><td>${escapeHtml(singleLine(p.right.student))}</td><td>${percent(p.similarity)}</td><td>${p.fragments.length}</td></tr>`)
    .join('\n');
  const title = `Similarity: ${escapeHtml(singleLine(labTitle))}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 1rem; max-width: 100rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid currentColor; padding: .25rem .5rem; vertical-align: top; text-align: left; }
td pre:focus-visible { outline: 2px solid; }
td pre { margin: 0; overflow-x: auto; max-width: 45vw; font-size: .875rem; }
.n { display: inline-block; min-width: 3ch; margin-right: 1ch; opacity: .7; user-select: none; }
</style>
</head>
<body>
<h1>${title}</h1>
<p>${pairs.length} pair(s) compared; ${flagged.length} at or above the threshold of ${percent(threshold)} (starter code excluded). A high similarity is a reason to look at the code, not a verdict.</p>
${flagged.length === 0 ? '<p>No pair reaches the threshold.</p>' : `<table><caption>Pairs at or above the threshold, most similar first</caption>
<thead><tr><th scope="col">Rank</th><th scope="col">Student</th><th scope="col">Student</th><th scope="col">Similarity</th><th scope="col">Fragments</th></tr></thead>
<tbody>
${rows}
</tbody></table>`}
${flagged.map((p, i) => pairSection(p, i + 1)).join('\n')}
</body>
</html>
`;
}
