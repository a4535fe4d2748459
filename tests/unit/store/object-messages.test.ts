import { findKind, imProviderKind } from "../../../core";
import { changeRuleOf, objectNotFound, uniqueKeyTaken } from "../../../store/object-messages";

/**
 * The store's refusals are worded from the kinds' definitions, and read as the providers'
 * always have (docs/architecture.md's rules in the API's words).
 */
describe("the store's messages, derived from the kinds", () => {
  it("says what a public and a hosted provider can change in place", () => {
    expect(changeRuleOf(imProviderKind, "public")).toBe(
      "a public provider changes in place only in enabled and verificationLevel",
    );
    expect(changeRuleOf(imProviderKind, "hosted")).toBe(
      "a hosted provider cannot change its name, kind or proxyFqdn",
    );
  });

  it("names the holder of a taken Access Edge by the unique key's role", () => {
    const holder = { ...imProviderKind.builtIns[2] };
    const conflict = uniqueKeyTaken(imProviderKind, "proxyFqdn", "sip.yahoo.com", holder);
    expect(conflict.message).toBe(
      'proxyFqdn "sip.yahoo.com" is already the Access Edge of provider "Yahoo!" (public)',
    );
    expect(conflict.details).toEqual([{ path: "proxyFqdn", message: 'is used by provider "Yahoo!"' }]);
  });

  it("says where the names are when a provider is not found, escaping what is not a name", () => {
    expect(objectNotFound(imProviderKind, "Nobody").message).toBe(
      'provider "Nobody" not found; the list of providers shows the names in the store',
    );
    expect(objectNotFound(imProviderKind, "No\u0000body").message).toContain(
      'provider "No\\u0000body" not found',
    );
    expect(objectNotFound(findKind("Federation"), "other").message).toContain('"global"');
  });
});
