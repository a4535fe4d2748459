import { z } from "zod";

/**
 * The kinds of IM service provider. Hosted providers are internal to the organization,
 * running as hosted services; public ones are Windows Live, AOL, Yahoo! and XMPP gateways
 * (seed: "Whether the IM service provider is hosted or public").
 */
export const providerKindSchema = z.enum(["public", "hosted"], { error: expected('"public" or "hosted"') });

/** `"public"` or `"hosted"`. */
export type ProviderKind = z.infer<typeof providerKindSchema>;

/**
 * The filtering option for incoming communications, by the value the cmdlets
 * (New-CsPublicProvider -VerificationLevel) give it. The Control Panel labels are in
 * {@link VERIFICATION_LEVEL_LABELS}.
 */
export const verificationLevelSchema = z.enum(
  ["UseSourceVerification", "AlwaysUnverifiable", "AlwaysVerifiable"],
  {
    error: 'must be "UseSourceVerification", "AlwaysUnverifiable" or "AlwaysVerifiable"',
  },
);

/** One of the three filtering options for incoming communications. */
export type VerificationLevel = z.infer<typeof verificationLevelSchema>;

/** The filtering option that applies when none is given (seed: "This setting is the default"). */
export const DEFAULT_VERIFICATION_LEVEL: VerificationLevel = "UseSourceVerification";

/** The Control Panel's label of each filtering option, word for word from the seed. */
export const VERIFICATION_LEVEL_LABELS: Readonly<Record<VerificationLevel, string>> = {
  UseSourceVerification: "Allow communications only with users verified by this provider",
  AlwaysUnverifiable: "Allow communications only with users on recipients' contact lists",
  AlwaysVerifiable: "Allow all communications with this provider",
};

/** The longest provider name (the Identity). */
export const MAX_PROVIDER_NAME_LENGTH = 64;
/** The longest Access Edge FQDN (RFC 1035's limit on a domain name's text form). */
export const MAX_FQDN_LENGTH = 253;
/** The longest autodiscover URL. */
export const MAX_AUTODISCOVER_URL_LENGTH = 2048;

/**
 * The message of a value of the wrong type. A missing value is reported as "is required" by
 * {@link validationDetails}, which sees the whole input.
 */
export function expected(what: string): string {
  return `must be ${what}`;
}

const NAME_CHARACTERS = /^[A-Za-z0-9 ._\-!()]+$/;

/**
 * A provider's name, its Identity: 1 to 64 ASCII letters, digits, spaces and `. _ - ! ( )`,
 * with no leading or trailing space. Compared case-insensitively (see {@link providerNameKey}).
 */
export const providerNameSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(MAX_PROVIDER_NAME_LENGTH, { error: `must be at most ${MAX_PROVIDER_NAME_LENGTH} characters` })
  .regex(NAME_CHARACTERS, {
    error: "may hold only ASCII letters, digits, spaces and the characters . _ - ! ( )",
  })
  .refine((name) => name.trim() === name, { error: "must not start or end with a space" });

/**
 * A text with its ASCII letters lower-cased and every other character as it is. Names and
 * FQDNs are ASCII, so their case is folded in ASCII only: `String.prototype.toLowerCase` folds
 * Unicode too, and maps KELVIN SIGN (U+212A) to "k" and U+0130 to "i" and a combining dot, so
 * a path such as "%E2%84%AAik" would name the provider "Kik" (UTS #21, SpecialCasing.txt).
 */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The key under which names are compared and stored uniquely: names are case-insensitive in
 * ASCII only, so a name with any other character names no stored provider.
 */
export function providerNameKey(name: string): string {
  return asciiLowerCase(name);
}

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
 * The FQDN of the provider's Access Edge ("Access Edge (or FQDN)" in the Control Panel,
 * `-ProxyFqdn` of the cmdlets): a DNS name of at least two labels with no trailing dot,
 * normalized to lower case.
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

const enabledSchema = z.boolean({ error: expected("true or false") });
const flagSchema = z.boolean({ error: expected("true or false") }).default(false);

/** The settings of a public provider. Only `enabled` and `verificationLevel` change in place. */
export const publicProviderSpecSchema = z.strictObject({
  name: providerNameSchema,
  kind: z.literal("public"),
  proxyFqdn: proxyFqdnSchema,
  enabled: enabledSchema,
  verificationLevel: verificationLevelSchema.default(DEFAULT_VERIFICATION_LEVEL),
});

/** The settings of a hosted provider: those of a public one plus the hosted-only fields. */
export const hostedProviderSpecSchema = z.strictObject({
  name: providerNameSchema,
  kind: z.literal("hosted"),
  proxyFqdn: proxyFqdnSchema,
  enabled: enabledSchema,
  verificationLevel: verificationLevelSchema.default(DEFAULT_VERIFICATION_LEVEL),
  enabledSharedAddressSpace: flagSchema,
  hostsOcsUsers: flagSchema,
  isLocal: flagSchema,
  // null is accepted as "absent", so that an object read from the store can be written back as it is.
  autodiscoverUrl: autodiscoverUrlSchema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional(),
});

/**
 * The declared settings of an IM service provider, public or hosted, with every rule of the
 * domain; parsing fills the defaults and lower-cases `proxyFqdn`.
 */
export const providerSpecSchema = z.discriminatedUnion(
  "kind",
  [publicProviderSpecSchema, hostedProviderSpecSchema],
  {
    error: 'must be "public" or "hosted"',
  },
);

/** The settings of a public provider, defaults filled. */
export type PublicProviderSpec = z.infer<typeof publicProviderSpecSchema>;
/** The settings of a hosted provider, defaults filled. */
export type HostedProviderSpec = z.infer<typeof hostedProviderSpecSchema>;
/** The settings of a provider, defaults filled, as the store keeps them. */
export type ProviderSpec = z.infer<typeof providerSpecSchema>;
/** The settings of a provider as a caller may write them (defaults may be left out). */
export type ProviderSpecInput = z.input<typeof providerSpecSchema>;

/** The fields only a hosted provider has; on a public provider they are refused, even `false`. */
export const HOSTED_ONLY_FIELDS = [
  "enabledSharedAddressSpace",
  "hostsOcsUsers",
  "isLocal",
  "autodiscoverUrl",
] as const;

/** Every field of a provider's settings. */
export const PROVIDER_SPEC_FIELDS = [
  "name",
  "kind",
  "proxyFqdn",
  "enabled",
  "verificationLevel",
  ...HOSTED_ONLY_FIELDS,
] as const;

/** A field of a provider's settings. */
export type ProviderSpecField = (typeof PROVIDER_SPEC_FIELDS)[number];

/**
 * The fields that cannot change in place, per kind. Lync allows a public provider to change
 * only in `enabled` and `verificationLevel` (Set-CsPublicProvider), and a hosted one in all
 * but its Identity and `ProxyFqdn` (Set-CsHostingProvider); anything else is a new provider.
 */
export const REPLACE_ON_CHANGE_FIELDS: Readonly<Record<ProviderKind, readonly ProviderSpecField[]>> = {
  public: [
    "name",
    "kind",
    "proxyFqdn",
    "enabledSharedAddressSpace",
    "hostsOcsUsers",
    "isLocal",
    "autodiscoverUrl",
  ],
  hosted: ["name", "kind", "proxyFqdn"],
};

/**
 * The fields whose change from `current` to `next` cannot be made in place (names and FQDNs
 * compared case-insensitively), in the order of {@link PROVIDER_SPEC_FIELDS}.
 */
export function fieldsThatCannotChange(current: ProviderSpec, next: ProviderSpec): ProviderSpecField[] {
  const immutable = REPLACE_ON_CHANGE_FIELDS[current.kind];
  return PROVIDER_SPEC_FIELDS.filter(
    (field) =>
      immutable.includes(field) && !sameFieldValue(field, fieldOf(current, field), fieldOf(next, field)),
  );
}

/** The fields whose value differs between two specs, in the order of {@link PROVIDER_SPEC_FIELDS}. */
export function changedProviderFields(current: ProviderSpec, next: ProviderSpec): ProviderSpecField[] {
  return PROVIDER_SPEC_FIELDS.filter(
    (field) => !sameFieldValue(field, fieldOf(current, field), fieldOf(next, field)),
  );
}

/** Reads one field of a spec, `undefined` where the kind does not have it. */
export function fieldOf(spec: ProviderSpec, field: ProviderSpecField): unknown {
  return (spec as Record<string, unknown>)[field];
}

function sameFieldValue(field: ProviderSpecField, a: unknown, b: unknown): boolean {
  if ((field === "name" || field === "proxyFqdn") && typeof a === "string" && typeof b === "string") {
    return asciiLowerCase(a) === asciiLowerCase(b);
  }
  return a === b;
}

/**
 * Applies a JSON merge patch (RFC 7396) to a provider's settings: a member replaces the
 * field, `null` removes it (so a field with a default goes back to it). The result is not
 * validated; parse it with {@link providerSpecSchema}.
 */
export function mergeProviderPatch(
  current: ProviderSpec,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  // A change of kind to public drops the hosted-only fields it does not name; the kind's own
  // rule then refuses any the patch does name.
  if (merged.kind === "public" && current.kind === "hosted") {
    for (const field of HOSTED_ONLY_FIELDS) if (!(field in patch)) delete merged[field];
  }
  return merged;
}
