import { z } from "zod";
import { expected } from "../messages";
import { asciiLowerCase } from "../names";
import { defineKind } from "./resource-kind";
import type { RecordOf, SpecInputOf, SpecOf } from "./types";

/** The longest provider name (the Identity). */
export const MAX_PROVIDER_NAME_LENGTH = 64;
/** The longest Access Edge FQDN (RFC 1035's limit on a domain name's text form). */
export const MAX_FQDN_LENGTH = 253;
/** The longest autodiscover URL. */
export const MAX_AUTODISCOVER_URL_LENGTH = 2048;

const NAME_CHARACTERS = /^[A-Za-z0-9 ._\-!()]+$/;

/**
 * A provider's name, its Identity: 1 to 64 ASCII letters, digits, spaces and `. _ - ! ( )`,
 * with no leading or trailing space. Compared ignoring ASCII case.
 */
export const providerNameSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_PROVIDER_NAME_LENGTH, { error: `must be at most ${MAX_PROVIDER_NAME_LENGTH} characters` })
  .regex(NAME_CHARACTERS, {
    error: "may hold only ASCII letters, digits, spaces and the characters . _ - ! ( )",
  })
  .refine((name) => name.trim() === name, { error: "must not start or end with a space" });

// One DNS label (RFC 1035 section 2.3.1, relaxed by RFC 1123 section 2.1 to allow a leading digit).
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Tells why a string is not an Access Edge FQDN, or returns `undefined` when it is one. */
export function fqdnProblem(value: string): string | undefined {
  if (value.length > MAX_FQDN_LENGTH) return `must be at most ${MAX_FQDN_LENGTH} characters`;
  if (value.endsWith(".")) return "must not end with a dot";
  const labels = asciiLowerCase(value).split(".");
  if (labels.length < 2)
    return 'must be a fully qualified domain name of at least two labels, such as "sip.example.com"';
  for (const label of labels) {
    if (!DNS_LABEL.test(label)) {
      return `has an invalid label "${label}": a label is 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) {
    return "must be a domain name, not an IP address";
  }
  return undefined;
}

/**
 * The FQDN of a provider's Access Edge: a DNS name of at least two labels with no trailing
 * dot, normalized to lower case.
 */
export const proxyFqdnSchema = z
  .string({ error: "must be a string" })
  .refine((value) => fqdnProblem(value) === undefined, {
    error: (issue) => fqdnProblem(String(issue.input)) ?? "must be a fully qualified domain name",
  })
  .transform((value) => asciiLowerCase(value));

/** An https URL of at most 2048 characters (hosted providers' `-AutodiscoverUrl`). */
export const autodiscoverUrlSchema = z
  .string({ error: "must be a string" })
  .max(MAX_AUTODISCOVER_URL_LENGTH, { error: `must be at most ${MAX_AUTODISCOVER_URL_LENGTH} characters` })
  // The WHATWG URL parser strips or encodes spaces and control characters that RFC 3986 does not
  // allow in a URL at all; they are refused, so that the value stored is a URL as written (and
  // PostgreSQL, whose text cannot hold U+0000, stores what SQLite stores).
  .refine((value) => ![...value].some((char) => char <= " " || char === "\u007f"), {
    error: "must not contain spaces or control characters",
  })
  .refine(
    (value) => {
      try {
        return new URL(value).protocol === "https:";
      } catch {
        return false;
      }
    },
    { error: 'must be an https URL, such as "https://autodiscover.example.com/autodiscover"' },
  );

/**
 * The filtering option for incoming communications, by the value the cmdlets
 * (`-VerificationLevel`) give it; the Control Panel's labels are the field's `choices`.
 */
export const verificationLevelSchema = z.enum(
  ["UseSourceVerification", "AlwaysUnverifiable", "AlwaysVerifiable"],
  {
    error: 'must be "UseSourceVerification", "AlwaysUnverifiable" or "AlwaysVerifiable"',
  },
);

/** One of the three filtering options for incoming communications. */
export type VerificationLevel = z.infer<typeof verificationLevelSchema>;

const flag = z.boolean({ error: expected("true or false") });

/**
 * The IM service provider (the Lync procedure: "Specify Supported IM Service Providers"): a public one
 * (Windows Live, AOL, Yahoo!, an XMPP gateway) or a hosted one, with its Access Edge, its
 * on/off switch and its filtering option for incoming communications.
 */
export const imProviderKind = defineKind({
  name: "ImProvider",
  title: "IM service provider",
  noun: "provider",
  path: "providers",
  description:
    'An IM service provider ("External User Access > Providers" in the Control Panel): a public one (Windows Live, AOL, Yahoo!, XMPP through a gateway) or a hosted one, with its Access Edge, whether communications with it are enabled, and its filtering option for incoming communications.',
  identity: { field: "name", auditPrefix: "provider" },
  variants: {
    field: "kind",
    values: {
      public: {
        label: "Public",
        cmdlets: ["New-CsPublicProvider", "Set-CsPublicProvider"],
        description:
          "A public IM service provider, such as Windows Live, AOL, Yahoo! or an XMPP gateway, a specific type of federated partner.",
      },
      hosted: {
        label: "Hosted",
        cmdlets: ["New-CsHostingProvider", "Set-CsHostingProvider"],
        description:
          "A hosted IM service provider: internal to the organization, running as hosted services, federated as a public provider is.",
      },
    },
  },
  fields: {
    name: {
      type: providerNameSchema,
      change: "replace",
      caseInsensitive: true,
      example: "Fabrikam Hosted IM",
      description:
        "The provider's name, its Identity: 1 to 64 ASCII letters, digits, spaces and . _ - ! ( ), unique among all providers ignoring case; a new name is a new provider.",
      cmdlet: "Identity",
      label: "Provider name",
      hint: "A unique name: letters, digits, spaces and . _ - ! ( ), at most 64 characters.",
      flag: "name",
    },
    kind: {
      type: z.enum(["public", "hosted"], { error: expected('"public" or "hosted"') }),
      change: "replace",
      example: "hosted",
      description:
        "Whether the provider is public (Windows Live, AOL, Yahoo!, XMPP gateways) or hosted (internal to the organization, running as hosted services).",
      cmdlet: "",
      label: "Kind",
      flag: "kind",
      choices: { public: "Public", hosted: "Hosted" },
    },
    proxyFqdn: {
      type: proxyFqdnSchema,
      change: "replace",
      caseInsensitive: true,
      example: "sip.fabrikam.example",
      description:
        "The FQDN of the provider's Access Edge: a DNS name of at least two labels, stored lower-case and unique among all providers; Lync cannot change it in place.",
      cmdlet: "ProxyFqdn",
      label: "Access Edge (or FQDN)",
      hint: "The fully qualified domain name of the provider's server running the Access Edge service, such as sip.example.com.",
      flag: "fqdn",
    },
    enabled: {
      type: flag,
      change: "in-place",
      example: true,
      description:
        'Whether communications with the provider are enabled ("Enable communications with this provider"); false is the temporary block.',
      cmdlet: "Enabled",
      label: "Enable communications with this provider",
      hint: "Clear it to block the provider: communications with it are refused at the edge.",
      flag: "enabled",
    },
    verificationLevel: {
      type: verificationLevelSchema,
      default: "UseSourceVerification",
      change: "in-place",
      example: "AlwaysUnverifiable",
      description:
        "The filtering option for incoming communications: trust the provider's verification (the default), only users on recipients' contact lists, or all communications.",
      cmdlet: "VerificationLevel",
      label: "Filtering option for incoming communications",
      flag: "verification-level",
      choices: {
        UseSourceVerification: "Allow communications only with users verified by this provider",
        AlwaysUnverifiable: "Allow communications only with users on recipients' contact lists",
        AlwaysVerifiable: "Allow all communications with this provider",
      },
    },
    enabledSharedAddressSpace: {
      type: flag,
      default: false,
      variants: ["hosted"],
      change: "in-place",
      example: true,
      description: "Whether the provider shares the organization's SIP address space (a split domain).",
      cmdlet: "EnabledSharedAddressSpace",
      label: "Enable shared SIP address space",
      flag: "shared-address-space",
    },
    hostsOcsUsers: {
      type: flag,
      default: false,
      variants: ["hosted"],
      change: "in-place",
      example: true,
      description: "Whether the provider hosts Lync Server or Office Communications Server users.",
      cmdlet: "HostsOCSUsers",
      label: "Hosts Office Communications Server users",
      flag: "hosts-ocs-users",
    },
    isLocal: {
      type: flag,
      default: false,
      variants: ["hosted"],
      change: "in-place",
      example: false,
      description: "Whether the provider's servers run inside the organization's own network.",
      cmdlet: "IsLocal",
      label: "Is local (the provider runs inside this deployment)",
      flag: "is-local",
    },
    autodiscoverUrl: {
      type: autodiscoverUrlSchema,
      optional: true,
      variants: ["hosted"],
      change: "in-place",
      example: "https://autodiscover.fabrikam.example/autodiscover",
      description: "The URL of the provider's Autodiscover service: an https URL of at most 2048 characters.",
      cmdlet: "AutodiscoverUrl",
      label: "Autodiscover URL",
      hint: "An https URL, such as https://autodiscover.example.com/autodiscover",
      flag: "autodiscover-url",
    },
    sipClientPort: {
      // Lync Server 2013 and later (`-SipClientPort`): hidden from the cmdlet's default output.
      type: z
        .number({ error: "must be a whole number from 1 to 65535" })
        .int({ error: "must be a whole number from 1 to 65535" })
        .min(1, { error: "must be a whole number from 1 to 65535" })
        .max(65535, { error: "must be a whole number from 1 to 65535" }),
      default: 443,
      variants: ["hosted"],
      change: "in-place",
      detailOnly: true,
      example: 5061,
      description:
        "The port on which the provider's SIP clients connect to its Access Edge: a whole number from 1 to 65535; default 443.",
      cmdlet: "SipClientPort",
      label: "SIP client port",
      hint: "The port the provider's clients connect to, 1 to 65535; 443 unless the provider says otherwise.",
      flag: "sip-client-port",
    },
  },
  unique: [{ field: "proxyFqdn", role: "the Access Edge" }],
  // The Lync procedure: "By default, the Windows Live, AOL, and Yahoo! are available in the list, but are not
  // enabled", named as Lync Server 2010 names them.
  builtIns: [
    { name: "MSN", kind: "public", proxyFqdn: "federation.messenger.msn.com", enabled: false },
    { name: "AOL", kind: "public", proxyFqdn: "sip.oscar.aol.com", enabled: false },
    { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: false },
  ],
});

type ImProviderDefinition = typeof imProviderKind.definition;

/** The settings of a provider, public or hosted, defaults filled. */
export type ProviderSpec = SpecOf<ImProviderDefinition>;
/** The settings of a provider as a caller may write them. */
export type ProviderSpecInput = SpecInputOf<ImProviderDefinition>;
/** An IM service provider as the store returns it. */
export type ProviderRecord = RecordOf<ImProviderDefinition>;
/** `"public"` or `"hosted"`. */
export type ProviderKind = ProviderSpec["kind"];
/** The settings of a public provider. */
export type PublicProviderSpec = Extract<ProviderSpec, { readonly kind: "public" }>;
/** The settings of a hosted provider. */
export type HostedProviderSpec = Extract<ProviderSpec, { readonly kind: "hosted" }>;
