import type { FederationRecord, FederationSettings } from "../core";
import { DEFAULT_FEDERATION_SETTINGS, FEDERATION_FIELDS, ValidationError, federationKind } from "../core";
import type { CheckFailure, CheckResult, DiffResult } from "./results";
import { UNKNOWN, isUnknown, settingsOf } from "./results";

/** The inputs of a `Federation`: the organization's federation settings. */
export interface FederationInputs {
  readonly enabled?: boolean;
  readonly partnerDiscovery?: boolean;
  readonly archivingDisclaimer?: boolean;
  readonly remoteUserAccess?: boolean;
  readonly anonymousUserAccess?: boolean;
}

/** The state of a `Federation`: the settings as the store returned them. */
export type FederationOutputs = FederationRecord;

/**
 * Validates the federation settings with the core schema: every failure with its property
 * path; on success the inputs with the defaults filled. Unknown values (a preview) are kept.
 */
export function checkFederationInputs(news: Readonly<Record<string, unknown>>): CheckResult {
  const settings = settingsOf(news);
  const unknownFields = Object.keys(settings).filter((field) => isUnknown(settings[field]));
  const probe: Record<string, unknown> = { ...settings };
  for (const field of unknownFields) probe[field] = false;
  const result = federationKind.validate(probe);
  if (!result.ok) {
    const failures: CheckFailure[] = result.details
      .filter((detail) => !unknownFields.includes(detail.path.split(".")[0] ?? ""))
      .map((detail) => ({ property: detail.path, reason: detail.message }));
    if (failures.length > 0) return { inputs: { ...news }, failures };
  }
  const inputs: Record<string, unknown> = result.ok ? { ...result.value } : { ...probe };
  for (const field of unknownFields) inputs[field] = UNKNOWN;
  return { inputs, failures: [] };
}

/** The federation settings of checked inputs; throws `ValidationError` naming every failure. */
export function federationSettingsOf(inputs: Readonly<Record<string, unknown>>): FederationSettings {
  const result = federationKind.validate(settingsOf(inputs));
  if (result.ok) return result.value;
  const list = result.details.map((detail) => `${detail.path} ${detail.message}`).join("; ");
  throw new ValidationError(`invalid Federation settings: ${list}`, result.details);
}

/** The settings of a federation record, as inputs. */
export function federationInputsOf(record: FederationRecord): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const field of FEDERATION_FIELDS) inputs[field] = record[field];
  return inputs;
}

/** Compares the state of a `Federation` with its new inputs; every setting changes in place. */
export function diffFederation(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): DiffResult {
  const changed = FEDERATION_FIELDS.filter((field) => {
    const old = olds[field] ?? DEFAULT_FEDERATION_SETTINGS[field];
    const next = news[field] ?? DEFAULT_FEDERATION_SETTINGS[field];
    return isUnknown(next) || old !== next;
  });
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
}
