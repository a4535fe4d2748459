import { KINDS } from "../../../core";
import { openApiDocument } from "../../../store/http/openapi";

/**
 * The OpenAPI document is generated from the kinds: every kind has the paths the store
 * registers for it, and components named after it and its variants; every reference resolves.
 */
describe("openApiDocument", () => {
  const document = openApiDocument() as {
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };
  const methods = (path: string) =>
    Object.keys(document.paths[path] ?? {})
      .filter((key) => ["get", "put", "patch", "post", "delete"].includes(key))
      .sort();

  it.each(KINDS.map((kind) => [kind.name, kind] as const))("has the paths of %s", (_name, kind) => {
    if (kind.singletonId === undefined) {
      expect(methods(`/v1/${kind.path}`)).toEqual(["get"]);
      expect(methods(`/v1/${kind.path}/{${kind.identityField}}`)).toEqual(["delete", "get", "patch", "put"]);
    } else {
      expect(methods(`/v1/${kind.path}`)).toEqual(["get", "patch", "put"]);
    }
  });

  it("names the providers' components after the kind and its variants", () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        "ImProvider",
        "ImProviderSpec",
        "ImProviderPublic",
        "ImProviderPublicSpec",
        "ImProviderHosted",
        "ImProviderHostedSpec",
        "Federation",
        "FederationSpec",
      ]),
    );
    const hosted = document.components.schemas.ImProviderHostedSpec as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(hosted.properties)).toContain("isLocal");
    const publicSpec = document.components.schemas.ImProviderPublicSpec as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(publicSpec.properties)).not.toContain("isLocal");
  });

  it("refers only to components it holds", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const name of new Set(refs)) expect(document.components.schemas).toHaveProperty([name as string]);
  });
});
