import { expected } from "./provider";
import { z } from "zod";

const setting = (fallback: boolean) => z.boolean({ error: expected("true or false") }).default(fallback);

/**
 * The organization's federation settings (Set-CsAccessEdgeConfiguration): one object per
 * store, id `global`. Provider settings are in effect only while `enabled` is true (seed:
 * "the provider support that you configure is in effect only when you have federation
 * enabled for your organization").
 */
export const federationSettingsSchema = z.strictObject({
  /** AllowFederatedUsers: federation for the organization. */
  enabled: setting(false),
  /** EnablePartnerDiscovery. */
  partnerDiscovery: setting(false),
  /** EnableArchivingDisclaimer. */
  archivingDisclaimer: setting(false),
  /** AllowOutsideUsers: remote user access. */
  remoteUserAccess: setting(true),
  /** AllowAnonymousUsers. */
  anonymousUserAccess: setting(false),
});

/** The federation settings, defaults filled. */
export type FederationSettings = z.infer<typeof federationSettingsSchema>;
/** The federation settings as a caller may write them (defaults may be left out). */
export type FederationSettingsInput = z.input<typeof federationSettingsSchema>;

/** The fields of the federation settings. */
export const FEDERATION_FIELDS = [
  "enabled",
  "partnerDiscovery",
  "archivingDisclaimer",
  "remoteUserAccess",
  "anonymousUserAccess",
] as const satisfies readonly (keyof FederationSettings)[];

/** The id of the single federation object. */
export const FEDERATION_ID = "global";

/** The settings of a new store. */
export const DEFAULT_FEDERATION_SETTINGS: Readonly<FederationSettings> = Object.freeze(
  federationSettingsSchema.parse({}),
);

/** Applies a JSON merge patch (RFC 7396) to the federation settings; `null` restores a field's default. */
export function mergeFederationPatch(
  current: FederationSettings,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}
