import * as pulumi from "@pulumi/pulumi";
import { KINDS, isReadOnlyField } from "../../../core";
import * as sdk from "../../../sdk";

// The generated resource classes under the SDK's mocks, for every kind: each registers with its
// type token and has an output for every field and every field the store keeps, filled from the
// provider's outputs even where the arguments leave a field out.

interface Registered {
  readonly type: string;
  readonly inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
// What the mocked provider answers: the inputs, a value for every field left out, and the metadata.
const STORED: Record<string, unknown> = {
  revision: 7,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-02T00:00:00.000Z",
  updatedBy: "admin",
  updatedVia: "pulumi",
  updateReason: null,
  builtIn: false,
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, inputs });
        const kind = KINDS.find((candidate) => args.type === candidate.typeToken);
        const filled = kind?.validate(kind.specOf(inputs));
        const state = { ...(filled?.ok ? filled.value : {}), ...STORED };
        return { id: kind?.singletonId ?? String(inputs.name), state };
      },
      call: (args) => args.inputs,
    },
    "imfed-classes",
    "dev",
    false,
  );
});

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

// The fewest arguments a program may give: every required field at its example.
function requiredArgs(kind: (typeof KINDS)[number]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const field of kind.fields) {
    const definition = kind.field(field);
    if (!("default" in definition) && !definition.optional && definition.variants === undefined) {
      args[field] = definition.example;
    }
  }
  return args;
}

describe.each(KINDS.map((kind) => [kind.name, kind] as const))("the %s class", (name, kind) => {
  type ResourceClass = new (name: string, args: object) => pulumi.CustomResource;
  const Resource = (sdk as unknown as Record<string, ResourceClass | undefined>)[name] as ResourceClass;

  it("is exported from the SDK under the kind's name", () => {
    expect(typeof Resource).toBe("function");
  });

  it("registers with the kind's type token and only the arguments given as inputs", async () => {
    const args = requiredArgs(kind);
    const resource = new Resource(`minimal-${name}`, args);
    await valueOf(resource.urn);
    const last = registered.at(-1);
    expect(last?.type).toBe(kind.typeToken);
    const { __provider, ...inputs } = last?.inputs ?? {};
    expect(String(__provider)).toContain(`require("imfed/provider/`);
    expect(inputs).toEqual(args);
  });

  it("has an output for every field and every field the store keeps, filled from the provider's outputs", async () => {
    const resource = new Resource(`outputs-${name}`, requiredArgs(kind)) as unknown as Record<
      string,
      pulumi.Output<unknown>
    >;
    // builtIn where the kind has built-ins, createdAt where it has more than one object.
    const metadata = Object.keys(STORED).filter(
      (field) =>
        isReadOnlyField(field) &&
        (field !== "builtIn" || kind.builtIns.length > 0) &&
        (field !== "createdAt" || kind.singletonId === undefined),
    );
    for (const field of [...kind.fields, ...metadata]) {
      expect([field, pulumi.Output.isInstance(resource[field])]).toEqual([field, true]);
    }
    for (const field of kind.fields) {
      const definition = kind.field(field);
      if ("default" in definition && definition.variants === undefined) {
        expect(await valueOf(resource[field]!)).toEqual(definition.default);
      }
    }
    expect(await valueOf(resource.updatedBy!)).toBe("admin");
    expect(await valueOf(resource.revision!)).toBe(7);
  });
});
