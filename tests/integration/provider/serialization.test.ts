import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import { startProviderHost, urnOf } from "../../helpers/provider-host";

const HANDLERS = {
  imProviderProvider: "imfed/provider/im-provider-handlers",
  federationProvider: "imfed/provider/federation-handlers",
} as const;

describe.each(["pack", "link"] as const)(
  "the serialized providers, when imfed is installed by %s",
  (install) => {
    let project: ConsumerProject;
    let serialized: SerializedProviders;

    beforeAll(() => {
      project = makeConsumerProject({ install });
      serialized = project.serializeProviders();
    });
    afterAll(() => project?.remove());

    it.each(["imProviderProvider", "federationProvider"] as const)(
      "serializes %s to a require of the package of at most 2 KB",
      (name) => {
        const text = serialized[name];
        process.stdout.write(`${install} ${name}: ${Buffer.byteLength(text)} bytes\n`);
        expect(text).toContain(`require("${HANDLERS[name]}")`);
        // Nothing of the package is copied: no schema, no client, no path of this machine.
        expect(text).not.toMatch(/zod|StoreClient|fetch\(|\/work\/|node_modules/);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
      },
    );

    it("runs in the SDK's provider host started in the project", async () => {
      const host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir });
      try {
        await host.configure({});
        const urn = urnOf("pulumi-nodejs:dynamic/imfed:ImProvider", "p");
        const { inputs, failures } = await host.check(
          urn,
          {},
          {
            name: "Contoso",
            kind: "public",
            proxyFqdn: "SIP.Contoso.example",
            enabled: true,
            __provider: serialized.imProviderProvider,
          },
        );
        expect(failures).toEqual([]);
        expect(inputs).toMatchObject({
          proxyFqdn: "sip.contoso.example",
          verificationLevel: "UseSourceVerification",
        });
      } finally {
        await host.stop();
      }
    });
  },
);

describe("imfed/provider in a project that depends on imfed", () => {
  let project: ConsumerProject;
  beforeAll(() => (project = makeConsumerProject()));
  afterAll(() => project?.remove());

  it("loads with require", () => {
    expect(
      project.run(`process.stdout.write(typeof require("imfed/provider").imProviderProvider.configure)`),
    ).toBe("function");
  });

  it("loads with import", () => {
    const script = `import("imfed/provider").then((m) => process.stdout.write(typeof m.federationProvider.create + " " + typeof m.KindProvider))`;
    expect(project.run(script)).toBe("function function");
  });

  it("exports the resource classes from the package root", () => {
    expect(
      project.run(
        `const { ImProvider, Federation } = require("imfed"); process.stdout.write(typeof ImProvider + typeof Federation)`,
      ),
    ).toBe("functionfunction");
  });
});
