declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    setupRequest?: (req: RequestSpec) => RequestSpec;
  }
  function autocannon(options: { url: string; connections?: number; duration?: number; amount?: number; pipelining?: number; headers?: Record<string, string>; requests?: RequestSpec[] }): Promise<Result>;
  export default autocannon;
}
