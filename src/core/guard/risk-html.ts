/**
 * The risk report as one self-contained HTML page (inline CSS, no scripts, no external
 * resources), so it can be saved with a run and opened anywhere. Every piece of text is
 * escaped: explanations quote config values and override reasons typed by users, and a page
 * that renders them as markup would let a reason inject script into whoever opens it.
 */
import type { RiskReport } from './risk';
import { riskReportJson } from './risk';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

const COLOURS = { low: '#2e7d32', medium: '#ef6c00', high: '#c62828' };
const UNJUDGED = '#555';

/** The headline in words: "38 / 100, medium risk", or why there is no score. Older reports lack `judged`. */
export function riskHeadline(report: RiskReport): string {
  if (report.judged === false) return 'Not applicable: overfitting could not be judged for this run';
  return `${report.score} / 100, ${report.level} risk`;
}

/**
 * The JSON is embedded for machines inside a non-executed data block; `<` is written as
 * \u003c so no text in it can close the element early.
 */
function embeddedJson(report: RiskReport): string {
  return riskReportJson(report).replace(/</g, '\\u003c');
}

export function riskReportHtml(report: RiskReport, title = 'Overfitting risk report'): string {
  const colour = report.judged === false ? UNJUDGED : COLOURS[report.level];
  const rows = report.components
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.name)}</td><td class="num">${escapeHtml(c.score)}</td><td class="num">${escapeHtml(c.weight)}</td>` +
        `<td><div class="bar"><span style="width:${Math.max(0, Math.min(100, Number(c.score) || 0))}%"></span></div></td><td>${escapeHtml(c.explanation)}</td></tr>`,
    )
    .join('\n');
  const recs = report.recommendations.length ? `<ul>${report.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '<p>No recommendations.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; }
.score { font-size: 2.5em; font-weight: 700; color: ${colour}; }
.level { text-transform: uppercase; color: ${colour}; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { width: 120px; height: 10px; background: #eee; border-radius: 5px; overflow: hidden; }
.bar span { display: block; height: 100%; background: ${colour}; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${
  report.judged === false
    ? `<p class="level">${escapeHtml(riskHeadline(report))}</p>`
    : `<p><span class="score">${escapeHtml(report.score)}</span> / 100 &mdash; <span class="level">${escapeHtml(report.level)}</span> risk</p>`
}
<h2>Components</h2>
<table>
<thead><tr><th>Component</th><th>Score</th><th>Weight</th><th></th><th>Why</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Recommendations</h2>
${recs}
<script type="application/json" id="risk-report">${embeddedJson(report)}</script>
</body>
</html>
`;
}
