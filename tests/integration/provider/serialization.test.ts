import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";

describe("the serialized providers, when imfed is consumed as a dependency", () => {
  let project: ConsumerProject;
  let serialized: SerializedProviders;

  beforeAll(() => {
    project = makeConsumerProject();
    serialized = project.serializeProviders();
  });
  afterAll(() => project?.remove());

  it.each(["imProviderProvider", "federationProvider"] as const)(
    "serializes %s to a require of the package of at most 2 KB",
    (name) => {
      const text = serialized[name];
      process.stdout.write(`${name}: ${Buffer.byteLength(text)} bytes\n`);
      expect(text).toContain(
        `require("imfed/provider/${name === "imProviderProvider" ? "im-provider" : "federation"}-handlers")`,
      );
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    },
  );
});
