// The two load generators: autocannon (in this process) and Debian's wrk (a C program, in its own).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export interface Load {
  readonly rps: number;
  readonly p99: number;
  readonly requests: number;
}

const PATH = '/v1/shelves/42';

/**
 * Where a server's next request takes up a token list: kept from one run to the next, so that a token
 * comes back only after the whole list, across runs as within one (a run that started again at the
 * list's head would send the tokens the last run ended on again at once).
 */
export interface Cursor {
  next: number;
}

/** `seconds` of load, or, when `amount` is given, that many requests; tokens taken in turn from `cursor`. */
export async function autocannonLoad(url: string, tokens: readonly string[], seconds: number, connections: number, amount?: number, cursor: Cursor = { next: 0 }): Promise<Load> {
  let i = cursor.next;
  const r = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [{ method: 'GET', path: PATH, setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${tokens[i++ % tokens.length]}` } }) }],
  });
  cursor.next = i % tokens.length;
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total };
}

/** Whether Debian's wrk is on the PATH; without it the wrk workload is skipped. */
export async function hasWrk(): Promise<boolean> {
  return promisify(execFile)('wrk', ['--version']).then(
    () => true,
    (e: { code?: unknown }) => e.code !== 'ENOENT',
  );
}

/**
 * wrk with two threads, every request carrying the next token of `tokensFile` (one a line): each thread
 * cycles through its own half, from the cursor (counted per thread, as each sends about half).
 */
export async function wrkLoad(url: string, tokensFile: string, seconds: number, connections: number, cursor: Cursor = { next: 0 }): Promise<Load> {
  const script = fileURLToPath(new URL('./wrk-tokens.lua', import.meta.url));
  const { stdout } = await promisify(execFile)('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '-s', script, `${url}${PATH}`], {
    env: { ...process.env, WRK_TOKENS: tokensFile, WRK_START: String(cursor.next) },
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { requests: number; seconds: number; p99us: number; non2xx: number; errors: number };
  cursor.next += Math.round(r.requests / 2);
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} socket errors under wrk`);
  return { rps: r.requests / r.seconds, p99: Math.round(r.p99us / 1000), requests: r.requests };
}
