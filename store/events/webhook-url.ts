import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { ValidationError } from "../../core";

/** Where the store may send change events. */
export interface WebhookPolicy {
  /**
   * Allows `http://` URLs, and any URL, to a loopback address (`--allow-http-loopback-webhooks`):
   * for receivers on the store's own machine, such as tests and local tools.
   */
  readonly allowHttpLoopback: boolean;
}

/** The policy of a store started without flags: https to public addresses only. */
export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { allowHttpLoopback: false };

// Addresses a webhook must not reach (server-side request forgery): the special-purpose ranges
// of the IANA IPv4 and IPv6 registries (RFC 6890) that are not globally reachable: this host,
// private networks (RFC 1918, RFC 4193), shared address space (RFC 6598), link-local (RFC 3927,
// RFC 4291; 169.254.169.254 is the cloud metadata service), benchmarking, multicast, reserved.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");

// IPv4 addresses inside IPv6 ones (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96) could carry
// any IPv4 address, private ones included; they are refused as a whole. They are checked here
// and not in the BlockList, which matches an IPv4-mapped range against every IPv4 address.
const EMBEDDED_IPV4 = /^(::ffff:|64:ff9b::)/i;

function familyOf(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

/** Tells whether an address is a loopback address (127.0.0.0/8, ::1). */
export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK.check(address, familyOf(address));
}

/**
 * Tells why the store must not connect to an address under a policy, or `undefined` when it
 * may: a loopback address only with `allowHttpLoopback`, no other address that is not public.
 */
export function addressProblem(address: string, policy: WebhookPolicy): string | undefined {
  if (isIP(address) === 0) return `"${address}" is not an IP address`;
  if (isLoopbackAddress(address)) {
    return policy.allowHttpLoopback
      ? undefined
      : `${address} is a loopback address, which webhooks may reach only when the store runs with --allow-http-loopback-webhooks`;
  }
  if (NOT_PUBLIC.check(address, familyOf(address)) || (isIP(address) === 6 && EMBEDDED_IPV4.test(address)))
    return `${address} is a private, link-local or reserved address, which webhooks may not reach`;
  return undefined;
}

// A URL's host without the brackets of an IPv6 literal.
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Checks a subscription's URL when it is created, and returns it as parsed: an absolute https
 * URL without user information or fragment, or http to a loopback address (`127.0.0.1`, `[::1]`,
 * `localhost`) when the policy allows it; a literal address must be one the store may reach.
 * A host name is resolved at each delivery, which checks its addresses again (DNS can change).
 */
export function checkWebhookUrl(text: string, policy: WebhookPolicy): URL {
  const refuse = (message: string): never => {
    throw new ValidationError(`the subscription's url ${message}`, [{ path: "url", message }]);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`"${text}" is not an absolute URL, such as "https://hooks.example.com/imfed"`);
  }
  if (url.username !== "" || url.password !== "")
    refuse("must not hold a user name or password: put a credential in the path or use the signature");
  if (url.hash !== "") refuse("must not have a fragment (#...)");
  const host = hostOf(url);
  if (url.protocol === "http:") {
    const loopbackHost = host === "localhost" || (isIP(host) !== 0 && isLoopbackAddress(host));
    if (!policy.allowHttpLoopback || !loopbackHost) {
      refuse(
        "must be https; http is allowed only to a loopback address (127.0.0.1, [::1], localhost) on a store started with --allow-http-loopback-webhooks",
      );
    }
  } else if (url.protocol !== "https:") {
    refuse(`must be an https URL, not ${url.protocol.replace(/:$/, "")}`);
  }
  if (isIP(host) !== 0) {
    const problem = addressProblem(host, policy);
    if (problem !== undefined) refuse(`must reach a public address: ${problem}`);
  }
  return url;
}

/**
 * Resolves a webhook's host and returns the address to connect to, refusing any address the
 * policy forbids (every address the name has is checked, so a name that also points inside
 * the network is refused). The connection is then made to that address, never resolved again,
 * so a name cannot change between the check and the connection (DNS rebinding).
 */
export async function resolveWebhookAddress(
  url: URL,
  policy: WebhookPolicy,
): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const addresses =
    isIP(host) !== 0
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  for (const { address } of addresses) {
    const problem = addressProblem(address, policy);
    if (problem !== undefined) throw new Error(`refused to connect to ${host}: ${problem}`);
  }
  return addresses[0]!;
}
