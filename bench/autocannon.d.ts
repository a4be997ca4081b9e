// The parts of autocannon's API that bench/ uses (the package ships no types).
declare module "autocannon" {
  type Options = {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    requests?: { setupRequest?: (req: { headers?: Record<string, string> }) => object }[];
  };
  type Histogram = { average: number; p50: number; p99: number; p2_5: number; p97_5: number };
  type Result = { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
