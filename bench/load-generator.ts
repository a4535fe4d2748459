// The load generator of the HTTP benchmarks, in a process of its own so that it does not share
// an event loop with the server it measures: autocannon against one URL, its requests spread
// over the given paths (each path's successive requests take the given bodies in turn). It
// prints one JSON line: requests per second, and the count of answers that were not 2xx and
// of errors (a benchmark that measured refusals would be worthless, so the caller checks them).
import autocannon from "autocannon";

/** What the load generator is told to do, as JSON in `IMFED_BENCH_LOAD`. */
export interface LoadRequest {
  readonly url: string;
  readonly method: "GET" | "PATCH";
  readonly paths: readonly string[];
  readonly bodies?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  /** Seconds. */
  readonly duration: number;
}

/** What the load generator prints. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const load = JSON.parse(process.env.IMFED_BENCH_LOAD ?? "{}") as LoadRequest;
  let sent = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.duration,
    method: load.method,
    headers: load.headers,
    requests: [
      {
        setupRequest: (request) => {
          const index = sent++;
          const path = load.paths[index % load.paths.length] ?? "/";
          const bodies = load.bodies;
          if (bodies === undefined || bodies.length === 0) return { ...request, path };
          const turn = Math.floor(index / load.paths.length) % bodies.length;
          return { ...request, path, body: bodies[turn] ?? "" };
        },
      },
    ],
  });
  const output: LoadResult = {
    requestsPerSecond: result.requests.total / load.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
