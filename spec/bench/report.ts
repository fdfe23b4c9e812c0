// Turns a run's results into the printed report and the Markdown section of docs/benchmarks.md.
import { CONTENDERS, WORKLOADS, type Workload } from './contenders.js';
import { median, ratios, type Results } from './results.js';

const LIMIT_VERIFY = ['limit-verify', 'limit-verify-async'] as const;

const WORKLOAD_ABOUT: Record<Workload, string> = {
  repeated: 'one token on every request (verified once, then answered from the verified-token cache), autocannon',
  cold: '3,000 distinct tokens in turn, each back only after the 2,999 others (from one run to the next too), so that every request misses the verified-token cache and is verified (the caches were filled with other tokens while warming up), autocannon',
  'cold-wrk': 'another 3,000 tokens in the same way, driven by wrk (a C load generator; each of its two threads through its own half)',
};

interface Target {
  readonly what: string;
  readonly workload: Workload;
  readonly of: string;
  readonly over: string | readonly string[];
  readonly min: number;
  readonly max?: number;
  /** The limit row's own ratio, shown beside: what a check without ESP's rules reaches. */
  readonly limit?: { readonly of: string | readonly string[]; readonly over: string | readonly string[] };
}

const TARGETS: readonly Target[] = [
  ...(['cold', 'cold-wrk'] as const).flatMap((w): Target[] => [
    { what: `${w}: espresso / plain jose >= 1.1`, workload: w, of: 'espresso', over: 'jose', min: 1.1, limit: { of: LIMIT_VERIFY, over: 'jose' } },
    { what: `${w}: espresso / express-oauth2-jwt-bearer >= 1.2`, workload: w, of: 'espresso', over: 'oauth2-bearer', min: 1.2, limit: { of: LIMIT_VERIFY, over: 'oauth2-bearer' } },
    { what: `${w}: espresso / the faster limit-verify row >= 0.9`, workload: w, of: 'espresso', over: LIMIT_VERIFY, min: 0.9 },
  ]),
  { what: 'repeated: espresso / empty-middleware >= 0.97', workload: 'repeated', of: 'espresso', over: 'empty-middleware', min: 0.97, limit: { of: 'limit-cached', over: 'empty-middleware' } },
  { what: 'repeated: 1,000 operations / 1 operation within 3% of 1', workload: 'repeated', of: 'espresso-1000', over: 'espresso', min: 0.97, max: 1.03 },
];

/** Ratios of rows to other rows that carry no target but show the other modes do not regress. */
const OTHERS: readonly { what: string; workload: Workload; of: string; over: string }[] = (['repeated', 'cold'] as const).flatMap((w) => [
  { what: `${w}: ESP v1.60 mode / ESPv2 mode`, workload: w, of: 'espresso-esp', over: 'espresso' },
  { what: `${w}: ESP v1.32 mode / ESPv2 mode`, workload: w, of: 'espresso-esp-1.32', over: 'espresso' },
  { what: `${w}: Fetch shell / bare Fetch handler`, workload: w, of: 'espresso-fetch', over: 'fetch-bare' },
  { what: `${w}: espresso / express-jwt + jwks-rsa`, workload: w, of: 'espresso', over: 'express-jwt' },
]);

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const spread = (xs: readonly number[]) => (xs.length > 1 ? ` (${f3(Math.min(...xs))}-${f3(Math.max(...xs))})` : '');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function label(x: string | readonly string[]): string {
  return typeof x === 'string' ? x : `max(${x.join(', ')})`;
}

export function renderReport(results: Results): { text: string; markdown: string; allMet: boolean } {
  const rows: string[] = [];
  for (const w of WORKLOADS) {
    for (const c of CONTENDERS) {
      const mine = results.samples.filter((s) => s.workload === w && s.contender === c.key);
      if (mine.length === 0) continue;
      const toBare = ratios(results, w, c.key, 'bare');
      const main = mine.map((s) => s.mainUs).filter((x): x is number => x !== null);
      rows.push(
        `| ${w} | ${c.key} | ${Math.round(median(mine.map((s) => s.rps)))} | ${median(mine.map((s) => s.p99))} | ${f3(median(toBare))}${spread(toBare)} | ${main.length ? median(main).toFixed(0) : '-'} | ${median(mine.map((s) => s.allUs)).toFixed(0)} |`,
      );
    }
  }
  const table = ['| workload | contender | req/s | p99 ms | ratio to bare (spread) | main-thread us/req | CPU us/req |', '|---|---|---:|---:|---:|---:|---:|', ...rows];

  let allMet = true;
  const targets = ['| target | measured (spread) | limit row | met |', '|---|---:|---|---|'];
  for (const t of TARGETS) {
    const got = ratios(results, t.workload, t.of, t.over);
    if (got.length === 0) {
      targets.push(`| ${t.what} | not measured | | |`);
      continue;
    }
    const m = median(got);
    const met = m >= t.min && (t.max === undefined || m <= t.max);
    allMet &&= met;
    const limit = t.limit ? limitText(results, t.workload, t.limit.of, t.limit.over) : '';
    targets.push(`| ${t.what} | ${f3(m)}${spread(got)} | ${limit} | ${met ? 'yes' : '**no**'} |`);
  }
  for (const s of results.startup) {
    const met = s.operations !== 860 || s.medianMs < 25;
    if (s.operations === 860) allMet &&= met;
    targets.push(`| start-up on ${s.document} (${s.operations} operations)${s.operations === 860 ? ' < 25 ms' : ''} | ${s.medianMs.toFixed(1)} ms | | ${s.operations === 860 ? (met ? 'yes' : '**no**') : ''} |`);
  }
  if (!results.startup.some((s) => s.operations === 860)) targets.push("| start-up on GitHub's published OpenAPI description < 25 ms | skipped: the document is not beside the package | | |");
  if (results.memory) {
    const m = results.memory;
    const bounded = m.tokenCache <= 1000 && m.heapAfter - m.heapBefore < 32 * 2 ** 20;
    allMet &&= bounded;
    targets.push(
      `| memory bounded under ${m.tokens.toLocaleString('en')} distinct tokens | heap ${mib(m.heapBefore)} before, ${mib(m.heapPeak)} at most, ${mib(m.heapAfter)} after; ${m.tokenCache} cache entries | | ${bounded ? 'yes' : '**no**'} |`,
    );
  }

  const others = ['| other modes (no target) | measured (spread) |', '|---|---:|'];
  for (const o of OTHERS) {
    const got = ratios(results, o.workload, o.of, o.over);
    if (got.length) others.push(`| ${o.what} | ${f2(median(got))}${spread(got)} |`);
  }

  const misses = (list: Results['reruns']) => list.map((r) => `round ${r.round} ${r.workload} (control ${f3(r.control)})`).join(', ');
  const reruns = [
    results.reruns.length ? `Measured again because the control strayed from bare by more than 5%: ${misses(results.reruns)}.` : '',
    results.strayed.length ? `Kept although the control strayed by more than 5% (no reruns left): ${misses(results.strayed)}.` : '',
    results.reruns.length + results.strayed.length === 0 ? 'The control stayed within 5% of bare in every round.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const coldHits = coldCacheHits(results);
  const text = [...table, '', ...targets, '', ...others, '', coldHits, reruns].join('\n');
  const markdown = [
    '## Throughput against the peers and the limits',
    '',
    `Measured ${results.date} on ${results.machine}; ${results.settings}. RS256 tokens from an RSA-2048 key. Every ratio is taken between two rows of the same round (interleaved: every contender once per round and workload); the table shows its median over the rounds and, in brackets, the spread. CPU per request is the server's own CPU time over the requests it answered: the main thread, and all threads with the thread pool's crypto.`,
    '',
    'Workloads:',
    ...WORKLOADS.map((w) => `- \`${w}\`: ${WORKLOAD_ABOUT[w]}.`),
    '',
    coldHits,
    '',
    'Contenders, each in its own process:',
    ...CONTENDERS.map((c) => `- \`${c.key}\`: ${c.about}.`),
    '',
    ...table,
    '',
    ...targets,
    '',
    ...others,
    '',
    reruns,
    '',
    '![Requests per second as a ratio to bare Express, per workload: espresso-jwt, its peers and the limit rows](benchmarks-ratios.svg)',
  ].join('\n');
  return { text, markdown, allMet };
}

function limitText(results: Results, w: Workload, of: string | readonly string[], over: string | readonly string[]): string {
  // The faster of several limit rows, round by round.
  const ofs = typeof of === 'string' ? [of] : of;
  const per = ofs.map((o) => ratios(results, w, o, over));
  const n = Math.min(...per.map((p) => p.length));
  if (n === 0) return '';
  const best = Array.from({ length: n }, (_, i) => Math.max(...per.map((p) => p[i]!)));
  return `${label(of)} / ${label(over)}: ${f3(median(best))}`;
}

/** How many measured cold requests espresso-jwt's verified-token cache answered: none, for the cold rows to mean what they say. */
function coldCacheHits(results: Results): string {
  const cold = results.samples.filter((s) => s.workload !== 'repeated' && s.cacheHits !== undefined);
  if (cold.length === 0) return '';
  const hits = cold.reduce((n, s) => n + s.cacheHits!, 0);
  const contenders = [...new Set(cold.map((s) => s.contender))].map((c) => `\`${c}\``).join(', ');
  const answered = hits === 0 ? 'none of their measured requests: every one was verified' : `${hits.toLocaleString('en')} of their measured requests; the rest were verified`;
  return `In the cold workloads the verified-token caches of ${contenders} answered ${answered}.`;
}
