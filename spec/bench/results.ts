// What one bench run measured, as saved in spec/bench/last-run.json and read by the report and the plot.
import type { Workload } from './contenders.js';
import type { Startup } from './startup.js';

export interface Sample {
  readonly round: number;
  readonly workload: Workload;
  readonly contender: string;
  readonly rps: number;
  readonly p99: number;
  /** Server CPU per request in microseconds: its main thread (null off Linux), and all its threads. */
  readonly mainUs: number | null;
  readonly allUs: number;
  /** Requests the verified-token cache answered during the sample (espresso-jwt's contenders). */
  readonly cacheHits?: number;
}

export interface Memory {
  readonly tokens: number;
  readonly heapBefore: number;
  readonly heapPeak: number;
  readonly heapAfter: number;
  readonly tokenCache: number;
}

interface ControlMiss {
  readonly round: number;
  readonly workload: Workload;
  /** rps of the control over rps of bare. */
  readonly control: number;
}

export interface Results {
  readonly date: string;
  readonly machine: string;
  readonly settings: string;
  readonly samples: readonly Sample[];
  /** Rounds measured again because the control strayed from bare by more than 5%. */
  readonly reruns: readonly ControlMiss[];
  /** Rounds kept although the control strayed (no reruns left, or --quick): read their ratios with care. */
  readonly strayed: readonly ControlMiss[];
  readonly startup: readonly Startup[];
  readonly memory: Memory | undefined;
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** rps of `a` over rps of `b` (or over the faster of several), once per round in which all ran. */
export function ratios(results: Results, workload: Workload, a: string, b: string | readonly string[]): number[] {
  const rounds = [...new Set(results.samples.map((s) => s.round))];
  const rps = (round: number, c: string) => results.samples.find((s) => s.round === round && s.workload === workload && s.contender === c)?.rps;
  const out: number[] = [];
  for (const round of rounds) {
    const top = rps(round, a);
    const bottoms = (typeof b === 'string' ? [b] : b).map((c) => rps(round, c));
    if (top === undefined || bottoms.some((x) => x === undefined)) continue;
    out.push(top / Math.max(...(bottoms as number[])));
  }
  return out;
}
