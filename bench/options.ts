/** How a benchmark run is sized. */
export interface BenchOptions {
  /** The small mode (`--small` or `IMFED_BENCH_SMALL=1`): every benchmark runs briefly, to show it works; its figures mean nothing. */
  readonly small: boolean;
  /** Seconds of each HTTP load (one round). */
  readonly seconds: number;
  /** Rounds of each HTTP comparison: the baseline and the subject alternate, so that a change of the machine's load falls on both. */
  readonly rounds: number;
  /** Concurrent connections of the HTTP loads. */
  readonly connections: number;
  /** Objects of the provider-read and program benchmarks (1,000 in a full run). */
  readonly objects: number;
  /** Concurrency of the provider reads (the engine's default parallelism of 10 in a full run). */
  readonly concurrency: number;
}

/** The options of a full or a small run. */
export function benchOptions(small: boolean): BenchOptions {
  return small
    ? { small, seconds: 1, rounds: 1, connections: 4, objects: 20, concurrency: 10 }
    : { small, seconds: 5, rounds: 2, connections: 10, objects: 1000, concurrency: 10 };
}
