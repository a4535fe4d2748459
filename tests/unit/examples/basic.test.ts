import * as pulumi from "@pulumi/pulumi";
import type * as BasicProgram from "../../../examples/basic/index";

// The example depends on the package by name; here "imfed" is the package's own code.
jest.mock("imfed", () => jest.requireActual("../../../index"), { virtual: true });

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("examples/basic under the SDK's mocks", () => {
  let program: typeof BasicProgram;

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs as Record<string, unknown>,
          });
          const id = args.type.endsWith(":Federation") ? "global" : String(args.inputs.name);
          return { id, state: { ...args.inputs, revision: 1, updatedBy: "admin", updatedVia: "pulumi" } };
        },
        call: (args) => args.inputs,
      },
      "imfed-basic",
      "dev",
      false,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after setMocks, as the engine loads a program
    program = require("../../../examples/basic/index") as typeof BasicProgram;
    await Promise.all([
      valueOf(program.federationEnabled),
      valueOf(program.fabrikamRevision),
      valueOf(pulumi.output(program.yahooLastChange)),
    ]);
  });

  it("registers exactly a Federation and two ImProviders, with their type tokens and inputs", () => {
    const withoutProvider = registered.map(({ type, name, inputs }) => {
      const { __provider, ...rest } = inputs;
      // Serialized from the package's own files, the provider is still a require of the package.
      expect(__provider).toContain('require("imfed/provider/');
      expect(Buffer.byteLength(String(__provider))).toBeLessThanOrEqual(2048);
      return { type, name, inputs: rest };
    });
    expect(withoutProvider).toEqual([
      { type: "pulumi-nodejs:dynamic/imfed:Federation", name: "federation", inputs: { enabled: true } },
      {
        type: "pulumi-nodejs:dynamic/imfed:ImProvider",
        name: "yahoo",
        inputs: {
          name: "Yahoo!",
          kind: "public",
          proxyFqdn: "sip.yahoo.com",
          enabled: true,
          verificationLevel: "AlwaysUnverifiable",
        },
      },
      {
        type: "pulumi-nodejs:dynamic/imfed:ImProvider",
        name: "fabrikam",
        inputs: {
          name: "Fabrikam Hosted IM",
          kind: "hosted",
          proxyFqdn: "sip.fabrikam.example",
          enabled: true,
          enabledSharedAddressSpace: true,
          hostsOcsUsers: true,
        },
      },
    ]);
  });

  it("exports the outputs the store fills", async () => {
    expect(await valueOf(program.federationEnabled)).toBe(true);
    expect(await valueOf(program.fabrikamRevision)).toBe(1);
    expect(await valueOf(pulumi.output(program.yahooLastChange))).toMatchObject({
      enabled: true,
      by: "admin",
      via: "pulumi",
    });
  });
});
