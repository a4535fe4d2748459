import { z } from "zod";
import { expected } from "../messages";
import { defineKind } from "./resource-kind";
import type { RecordOf, SpecInputOf, SpecOf } from "./types";

const setting = z.boolean({ error: expected("true or false") });

/**
 * The organization's federation settings (Set-CsAccessEdgeConfiguration), one per store with
 * id `global`. Provider settings are in effect only while `enabled` is true (the Lync procedure: "the
 * provider support that you configure is in effect only when you have federation enabled for
 * your organization").
 */
export const federationKind = defineKind({
  name: "Federation",
  title: "federation settings of the organization",
  noun: "federation settings",
  path: "federation",
  description:
    "The organization's federation settings (the Access Edge configuration): federation for the whole organization, partner discovery, the archiving disclaimer, and remote and anonymous user access. IM service provider settings are in effect only while federation is enabled.",
  identity: { singleton: "global", auditTarget: "federation" },
  fields: {
    enabled: {
      type: setting,
      default: false,
      change: "in-place",
      example: true,
      description:
        "Whether federation is enabled for the organization; provider settings are in effect only while it is.",
      cmdlet: "AllowFederatedUsers",
      label: "Enable federation and public IM connectivity",
      flag: "enabled",
    },
    partnerDiscovery: {
      type: setting,
      default: false,
      change: "in-place",
      example: false,
      description: "Whether the Access Edge discovers federated partner domains through DNS.",
      cmdlet: "EnablePartnerDiscovery",
      label: "Enable partner domain discovery",
      flag: "partner-discovery",
    },
    archivingDisclaimer: {
      type: setting,
      default: false,
      change: "in-place",
      example: false,
      description: "Whether federated partners are told that communications are archived.",
      cmdlet: "EnableArchivingDisclaimer",
      label: "Send archiving disclaimer to federated partners",
      flag: "archiving-disclaimer",
    },
    remoteUserAccess: {
      type: setting,
      default: true,
      change: "in-place",
      example: true,
      description: "Whether the organization's own users may connect from outside its network.",
      cmdlet: "AllowOutsideUsers",
      label: "Enable remote user access",
      flag: "remote-user-access",
    },
    anonymousUserAccess: {
      type: setting,
      default: false,
      change: "in-place",
      example: false,
      description: "Whether anonymous users may join the organization's conferences.",
      cmdlet: "AllowAnonymousUsers",
      label: "Enable anonymous user access to conferences",
      flag: "anonymous-user-access",
    },
  },
});

type FederationDefinition = typeof federationKind.definition;

/** The federation settings, defaults filled. */
export type FederationSettings = SpecOf<FederationDefinition>;
/** The federation settings as a caller may write them. */
export type FederationSettingsInput = SpecInputOf<FederationDefinition>;
/** The federation settings as the store returns them. */
export type FederationRecord = RecordOf<FederationDefinition>;

/** The id of the single federation object. */
export const FEDERATION_ID = "global";
