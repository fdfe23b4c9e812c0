/** Turns the measured rows into the printed table, the Markdown section and an SVG bar chart. */
export interface Row {
  readonly workload: string;
  readonly contender: string;
  readonly rps: number;
  readonly p99: number;
  readonly ratio: number;
}

const TARGETS = [
  'repeated token >= 0.95 of bare',
  'distinct tokens >= 0.85 of bare',
  'both >= 1.5x express-jwt + jwks-rsa and >= 1.3x express-oauth2-jwt-bearer',
  '1,000 operations within 5% of 1 operation',
  'start-up on 1,000 operations < 100 ms',
];

const CONTENDERS =
  'Contenders, each in its own process: `bare` (Express 5, no middleware); `empty-middleware` (one that passes on after a promise tick); `espresso` (espresso-jwt from its build, 1 operation) and `espresso-1000` (1,000 operations); `express-jwt` (with jwks-rsa); `oauth2-bearer` (express-oauth2-jwt-bearer); `jose` (jwtVerify with a remote JWKS); `limit-cached` and `limit-verify` (no ESP rules: the least a cached-token check and a per-token RS256 verify can cost, see below).';

export function renderReport(input: {
  rows: readonly Row[];
  startupMs: number;
  memory: Record<string, unknown>;
  machine: string;
  date: string;
  settings: string;
}): { text: string; markdown: string; svg: string } {
  const { rows } = input;
  const get = (w: string, c: string) => rows.find((r) => r.workload === w && r.contender === c);
  const table = ['| workload | contender | req/s | p99 ms | ratio to bare |', '|---|---|---:|---:|---:|'];
  for (const r of rows) table.push(`| ${r.workload} | ${r.contender} | ${Math.round(r.rps)} | ${r.p99} | ${r.ratio.toFixed(3)} |`);
  const checks: string[] = [];
  for (const [w, limitKey, target] of [
    ['repeated', 'limit-cached', 0.95],
    ['distinct', 'limit-verify', 0.85],
  ] as const) {
    const e = get(w, 'espresso');
    const ej = get(w, 'express-jwt');
    const ob = get(w, 'oauth2-bearer');
    if (e && ej && ob) {
      checks.push(`${w}: espresso ${e.ratio.toFixed(3)} of bare, ${(e.rps / ej.rps).toFixed(2)}x express-jwt + jwks-rsa, ${(e.rps / ob.rps).toFixed(2)}x express-oauth2-jwt-bearer`);
    }
    const limit = get(w, limitKey);
    if (limit && ob) {
      checks.push(
        `${w}: the limit (${limitKey}, no ESP rules) reaches ${limit.ratio.toFixed(3)} of bare against a target of ${target}, and ${(limit.rps / ob.rps).toFixed(2)}x express-oauth2-jwt-bearer against 1.3`,
      );
    }
  }
  const one = get('repeated', 'espresso');
  const thousand = get('repeated', 'espresso-1000');
  if (one && thousand) checks.push(`1,000 operations / 1 operation: ${(thousand.rps / one.rps).toFixed(3)}`);
  checks.push(`start-up of endpointsAuth on 1,000 operations: ${input.startupMs.toFixed(1)} ms (median of 15)`);
  checks.push(`espresso after the distinct-token runs: verified-token cache ${String(input.memory.tokenCache)} entries (bounded by tokenCacheSize 1000), heap ${(Number(input.memory.heapUsed) / 2 ** 20).toFixed(1)} MiB`);
  const markdown = [
    '## Throughput against bare Express and the peers',
    '',
    `Measured ${input.date} on ${input.machine}; ${input.settings}. RS256 tokens from an RSA-2048 key; medians over rounds; every ratio is taken against bare Express in the same round.`,
    '',
    CONTENDERS,
    '',
    ...table,
    '',
    ...checks.map((c) => `- ${c}`),
    '',
    `Targets (issue 8): ${TARGETS.join('; ')}.`,
    '',
    '![ratios to bare Express](benchmarks-ratios.svg)',
  ].join('\n');
  return { text: [...table, '', ...checks].join('\n'), markdown, svg: svg(rows) };
}

function svg(rows: readonly Row[]): string {
  const width = 720;
  const barH = 18;
  const left = 260;
  const scale = (width - left - 60) / Math.max(1, ...rows.map((r) => r.ratio));
  const lines = rows.map((r, i) => {
    const y = 30 + i * (barH + 8);
    const w = Math.max(1, r.ratio * scale);
    return `<text x="${left - 8}" y="${y + 13}" text-anchor="end" font-size="12">${r.workload} / ${r.contender}</text><rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${r.contender.startsWith('espresso') ? '#6b3e26' : r.contender.startsWith('limit') ? '#d9c9a3' : '#9aa5b1'}"/><text x="${(left + w + 4).toFixed(1)}" y="${y + 13}" font-size="12">${r.ratio.toFixed(2)}</text>`;
  });
  const height = 40 + rows.length * (barH + 8);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><text x="10" y="18" font-size="14">req/s as a ratio to bare Express (same round)</text><line x1="${left + scale}" y1="24" x2="${left + scale}" y2="${height - 6}" stroke="#333" stroke-dasharray="3,3"/>${lines.join('')}</svg>\n`;
}
