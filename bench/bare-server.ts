// The baseline of the read benchmarks: a bare fastify route answering every GET with the same
// JSON body as the store's read (given in `IMFED_BENCH_BODY`), in a process of its own, no
// logging. It prints its port on its first line.
import Fastify from "fastify";

async function main(): Promise<void> {
  const body = JSON.parse(process.env.IMFED_BENCH_BODY ?? "{}") as unknown;
  const app = Fastify({ logger: false });
  app.get("/*", async () => body);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  process.stdout.write(`${typeof address === "object" && address !== null ? address.port : 0}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
