import type { PublicProviderSpec } from "./provider";
import { DEFAULT_VERIFICATION_LEVEL, asciiLowerCase, providerNameKey } from "./provider";

/**
 * The public providers a new store holds, present but not enabled (seed: "By default, the
 * Windows Live, AOL, and Yahoo! are available in the list, but are not enabled"), named as
 * Lync Server 2010 names them.
 */
export const BUILT_IN_PROVIDERS: readonly Readonly<PublicProviderSpec>[] = Object.freeze([
  {
    name: "MSN",
    kind: "public",
    proxyFqdn: "federation.messenger.msn.com",
    enabled: false,
    verificationLevel: DEFAULT_VERIFICATION_LEVEL,
  },
  {
    name: "AOL",
    kind: "public",
    proxyFqdn: "sip.oscar.aol.com",
    enabled: false,
    verificationLevel: DEFAULT_VERIFICATION_LEVEL,
  },
  {
    name: "Yahoo!",
    kind: "public",
    proxyFqdn: "sip.yahoo.com",
    enabled: false,
    verificationLevel: DEFAULT_VERIFICATION_LEVEL,
  },
] as const);

/** The built-in provider of that name (compared case-insensitively), or `undefined`. */
export function tryFindBuiltInProvider(name: string): Readonly<PublicProviderSpec> | undefined {
  const key = providerNameKey(name);
  return BUILT_IN_PROVIDERS.find((builtIn) => providerNameKey(builtIn.name) === key);
}

/**
 * Tells whether a provider is one of the built-ins: a public provider with a built-in's name
 * and Access Edge. A built-in that was removed and created again with other settings is not.
 */
export function isBuiltInProvider(spec: {
  readonly name: string;
  readonly kind: string;
  readonly proxyFqdn: string;
}): boolean {
  const builtIn = tryFindBuiltInProvider(spec.name);
  return (
    builtIn !== undefined && spec.kind === "public" && builtIn.proxyFqdn === asciiLowerCase(spec.proxyFqdn)
  );
}
