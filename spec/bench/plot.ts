// The plot of docs/benchmarks.md: req/s as a ratio to bare Express, one group of bars per workload.
// `node --import tsx spec/bench/plot.ts` draws it again from spec/bench/last-run.json (the last full run).
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTENDERS, WORKLOADS } from './contenders.js';
import { median, ratios, type Results } from './results.js';

/** Colour families, in the legend's order. The panel is opaque, so the plot reads alike on light and dark pages. */
const FAMILIES = [
  { name: 'espresso-jwt', fill: '#a0522d', test: (c: string) => c.startsWith('espresso') },
  { name: 'peers', fill: '#4a78b0', test: (c: string) => ['express-jwt', 'oauth2-bearer', 'jose'].includes(c) },
  { name: 'limits (no ESP rules)', fill: '#d4a72c', test: (c: string) => c.startsWith('limit') },
  { name: 'baselines (no check)', fill: '#8c8c8c', test: () => true },
] as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function renderSvg(results: Results): string {
  const width = 760;
  const left = 230;
  const barH = 14;
  const gap = 5;
  const bars: { y: number; label: string; ratio: number; fill: string }[] = [];
  const headings: { y: number; text: string }[] = [];
  let y = 70;
  for (const w of WORKLOADS) {
    const rows = CONTENDERS.map((c) => ({ c: c.key, r: ratios(results, w, c.key, 'bare') })).filter((x) => x.r.length > 0);
    if (rows.length === 0) continue;
    headings.push({ y: y + 12, text: w });
    y += 20;
    for (const { c, r } of rows) {
      bars.push({ y, label: c, ratio: median(r), fill: FAMILIES.find((f) => f.test(c))!.fill });
      y += barH + gap;
    }
    y += 10;
  }
  const height = y + 10;
  const top = Math.max(1.1, ...bars.map((b) => b.ratio));
  const scale = (width - left - 60) / top;
  const x1 = left + scale;
  const legend = FAMILIES.map((f, i) => {
    const lx = 16 + i * 180;
    return `<rect x="${lx}" y="38" width="12" height="12" fill="${f.fill}"/><text x="${lx + 18}" y="49">${escape(f.name)}</text>`;
  }).join('');
  const body = bars
    .map((b) => {
      const w = Math.max(1, b.ratio * scale);
      return `<text x="${left - 8}" y="${b.y + 11}" text-anchor="end">${escape(b.label)}</text><rect x="${left}" y="${b.y}" width="${w.toFixed(1)}" height="${barH}" fill="${b.fill}"/><text x="${(left + w + 4).toFixed(1)}" y="${b.y + 11}">${b.ratio.toFixed(2)}</text>`;
    })
    .join('');
  const heads = headings.map((h) => `<text x="16" y="${h.y}" font-weight="bold">${escape(h.text)}</text>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" fill="#1f1f1f">`,
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="6" fill="#ffffff" stroke="#9a9a9a"/>`,
    `<text x="16" y="24" font-size="14" font-weight="bold">req/s as a ratio to bare Express in the same round (median of ${new Set(results.samples.map((s) => s.round)).size} rounds)</text>`,
    legend,
    `<line x1="${x1}" y1="62" x2="${x1}" y2="${height - 8}" stroke="#555" stroke-dasharray="4,3"/><text x="${x1 + 4}" y="66" fill="#555">1.0 = bare</text>`,
    heads,
    body,
    '</svg>',
    '',
  ].join('\n');
}

export const LAST_RUN = fileURLToPath(new URL('./last-run.json', import.meta.url));
export const PLOT = fileURLToPath(new URL('../../docs/benchmarks-ratios.svg', import.meta.url));

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  fs.writeFileSync(PLOT, renderSvg(JSON.parse(fs.readFileSync(LAST_RUN, 'utf8')) as Results));
  process.stdout.write(`wrote ${PLOT}\n`);
}
