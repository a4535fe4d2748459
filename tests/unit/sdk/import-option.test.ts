import * as pulumi from "@pulumi/pulumi";
import { Federation, ImProvider } from "../../../sdk";

// The `import` resource option cannot work for a dynamic provider: the engine's import reads
// the resource with its id only, and the SDK's provider host fails before imfed's code runs
// (tests/integration/provider/provider-host.test.ts shows the host's own failure). So the
// resource classes refuse the option in the program, where the message reaches the user.

const registered: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args.name);
        return {
          id: args.type.endsWith(":Federation") ? "global" : String(args.inputs.name),
          state: args.inputs,
        };
      },
      call: (args) => args.inputs,
    },
    "imfed-import",
    "dev",
    false,
  );
});

describe("the import resource option", () => {
  it("is refused on an ImProvider with a message that names pulumi/pulumi#16175 and adopt", () => {
    const declare = () =>
      new ImProvider(
        "yahoo",
        { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: false },
        { import: "Yahoo!" },
      );
    expect(declare).toThrow(pulumi.RunError);
    expect(declare).toThrow(/ImProvider "yahoo": the "import" resource option does not work/);
    expect(declare).toThrow(/pulumi\/pulumi#16175/);
    expect(declare).toThrow(/code must be a string, not undefined/);
    expect(declare).toThrow(/set "adopt: true" on the ImProvider/);
    expect(registered).not.toContain("yahoo");
  });

  it("is refused on a Federation with a message that says create adopts the settings", () => {
    const declare = () => new Federation("federation", { enabled: true }, { import: "global" });
    expect(declare).toThrow(/Federation "federation": the "import" resource option does not work/);
    expect(declare).toThrow(/pulumi\/pulumi#16175/);
    expect(declare).toThrow(/always adopts the store's federation settings/);
    expect(registered).not.toContain("federation");
  });
});
