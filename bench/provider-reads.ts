import { StoreClient } from "../client";
import type { ConsumerProject } from "../tests/helpers/consumer-project";
import { makeConsumerProject } from "../tests/helpers/consumer-project";
import type { ProviderHost } from "../tests/helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../tests/helpers/provider-host";
import { startStore } from "../tests/helpers/store-process";
import type { Figure } from "./figure";
import { figure } from "./figure";
import type { BenchOptions } from "./options";
import { createProviders } from "./store-http";

const IM_PROVIDER = "pulumi-nodejs:dynamic/imfed:ImProvider";
const NO_OP = "pulumi-nodejs:dynamic/bench:NoOp";

// A provider whose Read answers at once, serialized as the SDK serializes any dynamic provider.
const SERIALIZE_NO_OP = `
const pulumi = require("@pulumi/pulumi");
const noOp = { async read(id, props) { return { id, props }; } };
pulumi.runtime.serializeFunction(() => noOp, { allowSecrets: true })
  .then((serialized) => process.stdout.write(serialized.text))
  .catch((error) => { console.error(error); process.exit(1); });
`;

/** The API requests a store logged so far (its "request completed" lines). */
function requestsLogged(output: string): number {
  return output.split('"msg":"request completed"').length - 1;
}

/** Reads every id through the host, `concurrency` at a time as the engine's refresh does; returns milliseconds. */
async function readAll(
  host: ProviderHost,
  type: string,
  provider: string,
  ids: readonly string[],
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const state = { __provider: provider, name: id };
      const result = await host.read(urnOf(type, id), id, { outputs: state, inputs: state });
      if (result.id !== id) throw new Error(`the Read of "${id}" answered the id "${result.id}"`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

/**
 * Reads of `ImProvider`s through the SDK's dynamic-provider host at the engine's concurrency
 * (a refresh) ÷ the same reads of a no-op provider through the same host; with the calls the
 * store served for them.
 */
export async function providerReads(options: BenchOptions): Promise<Figure[]> {
  const store = await startStore();
  let project: ConsumerProject | undefined;
  let host: ProviderHost | undefined;
  try {
    const client = new StoreClient({ endpoint: store.url, token: store.adminToken });
    const ids = await createProviders(client, options.objects);
    project = makeConsumerProject({ install: "link" });
    const serialized = project.serializeProviders();
    const noOp = project.run(SERIALIZE_NO_OP);
    host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir });
    await host.configure({ "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) });
    const warmUp = ids.slice(0, Math.min(20, ids.length));
    await readAll(host, NO_OP, noOp, warmUp, options.concurrency);
    await readAll(host, IM_PROVIDER, serialized.imProviderProvider, warmUp, options.concurrency);
    let subject = 0;
    let baseline = 0;
    let calls = 0;
    for (let round = 0; round < options.rounds; round++) {
      baseline += await readAll(host, NO_OP, noOp, ids, options.concurrency);
      const before = requestsLogged(store.output());
      subject += await readAll(host, IM_PROVIDER, serialized.imProviderProvider, ids, options.concurrency);
      calls += requestsLogged(store.output()) - before;
    }
    return [
      figure({
        key: "provider.read",
        name: `${ids.length} ImProvider Reads through the SDK's host at concurrency ${options.concurrency}`,
        value: subject / options.rounds,
        unit: "ms",
        baseline: { name: "a no-op provider's Reads, same host", value: baseline / options.rounds },
        target: { op: "<=", value: 1.5 },
        details: { "store calls": calls / options.rounds },
      }),
    ];
  } finally {
    await host?.stop();
    await store.stop();
    project?.remove();
  }
}
