import type { ProviderRecord, ProviderSpec, ProviderSpecField, ValidationDetail } from "../core";
import {
  DEFAULT_VERIFICATION_LEVEL,
  HOSTED_ONLY_FIELDS,
  PROVIDER_SPEC_FIELDS,
  REPLACE_ON_CHANGE_FIELDS,
  ValidationError,
  imProviderKind,
} from "../core";
import type { CheckFailure, CheckResult, DiffResult } from "./results";
import { UNKNOWN, isUnknown, settingsOf } from "./results";

/** The settings fields of a property bag: those of {@link settingsOf}, without `adopt` either. */
function providerSettingsOf(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return settingsOf(bag, ["adopt"]);
}

/** The inputs of an `ImProvider` as the engine hands them to the provider: the settings and `adopt`. */
export interface ImProviderInputs {
  readonly name: string;
  readonly kind: "public" | "hosted";
  readonly proxyFqdn: string;
  readonly enabled: boolean;
  readonly verificationLevel?: string;
  readonly enabledSharedAddressSpace?: boolean;
  readonly hostsOcsUsers?: boolean;
  readonly isLocal?: boolean;
  readonly autodiscoverUrl?: string;
  readonly adopt?: boolean;
}

/** The state of an `ImProvider`: the provider as the store returned it (plus `adopt` as declared). */
export type ImProviderOutputs = ProviderRecord & { readonly adopt?: boolean };

// Values a field may hold while its real value is unknown (a preview of an input that depends
// on another resource's output), so that the other fields can still be validated.
const PLACEHOLDERS: Readonly<Record<ProviderSpecField, unknown>> = {
  name: "placeholder",
  kind: "hosted",
  proxyFqdn: "placeholder.invalid",
  enabled: false,
  verificationLevel: DEFAULT_VERIFICATION_LEVEL,
  enabledSharedAddressSpace: false,
  hostsOcsUsers: false,
  isLocal: false,
  autodiscoverUrl: "https://placeholder.invalid/",
};

/**
 * Validates the declared settings of an `ImProvider` with the core schema: every failure with
 * its property path; on success the inputs with defaults filled and `proxyFqdn` lower-cased,
 * so a value that differs only in case never causes a diff. Fields whose value is not known
 * yet (a preview) are left as they are and not judged.
 */
export function checkImProviderInputs(news: Readonly<Record<string, unknown>>): CheckResult {
  const failures: CheckFailure[] = [];
  const adopt = news.adopt;
  if (adopt !== undefined && adopt !== null && !isUnknown(adopt) && typeof adopt !== "boolean") {
    failures.push({ property: "adopt", reason: "must be true or false" });
  }
  const settings = providerSettingsOf(news);
  const unknownFields = Object.keys(settings).filter((field) => isUnknown(settings[field]));
  const probe: Record<string, unknown> = { ...settings };
  for (const field of unknownFields) probe[field] = PLACEHOLDERS[field as ProviderSpecField] ?? null;
  const result = imProviderKind.validate(probe);
  if (!result.ok) {
    for (const detail of result.details) {
      if (unknownFields.includes(topField(detail))) continue;
      failures.push(toFailure(detail));
    }
  }
  if (failures.length > 0 || !result.ok) return { inputs: { ...news }, failures };

  const inputs: Record<string, unknown> = { ...result.value };
  if (unknownFields.length > 0) {
    for (const field of unknownFields) inputs[field] = UNKNOWN;
    // With the kind unknown the hosted-only defaults of the placeholder kind do not apply.
    if (isUnknown(settings.kind)) {
      for (const field of HOSTED_ONLY_FIELDS) if (!(field in settings)) delete inputs[field];
    }
  }
  if (typeof adopt === "boolean" || isUnknown(adopt)) inputs.adopt = adopt;
  return { inputs, failures: [] };
}

function topField(detail: ValidationDetail): string {
  return detail.path.split(".")[0] ?? "";
}

function toFailure(detail: ValidationDetail): CheckFailure {
  return { property: detail.path, reason: detail.message };
}

/**
 * The declared settings of checked inputs, parsed again (so a handler never writes what the
 * schema refuses); throws `ValidationError` naming every failure.
 */
export function providerSpecOf(inputs: Readonly<Record<string, unknown>>): ProviderSpec {
  const result = imProviderKind.validate(providerSettingsOf(inputs));
  if (result.ok) return result.value;
  const list = result.details.map((detail) => `${detail.path} ${detail.message}`).join("; ");
  throw new ValidationError(`invalid ImProvider settings: ${list}`, result.details);
}

/**
 * The settings of a provider as the store returned it, as inputs (an absent autodiscover URL
 * left out), with `adopt` as declared: the store does not hold it, and inputs without it would
 * show `+ adopt` in the next preview.
 */
export function providerInputsOf(record: ProviderRecord, adopt?: unknown): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const field of PROVIDER_SPEC_FIELDS) {
    const value = (record as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) inputs[field] = value;
  }
  if (typeof adopt === "boolean") inputs.adopt = adopt;
  return inputs;
}

/** The outputs of a provider as the store returned it: every field, `builtIn`, `revision` and the last write. */
export function providerOutputsOf(record: ProviderRecord, adopt?: unknown): Record<string, unknown> {
  const outputs: Record<string, unknown> = { ...record };
  if (typeof adopt === "boolean") outputs.adopt = adopt;
  return outputs;
}

// The value a field takes when left out, so that state written before a default existed, or
// a value left out of the inputs, compares equal to the default.
function withDefaults(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...bag };
  if (filled.verificationLevel === undefined || filled.verificationLevel === null) {
    filled.verificationLevel = DEFAULT_VERIFICATION_LEVEL;
  }
  if (filled.kind === "hosted") {
    for (const flag of ["enabledSharedAddressSpace", "hostsOcsUsers", "isLocal"] as const) {
      if (filled[flag] === undefined || filled[flag] === null) filled[flag] = false;
    }
  }
  if (filled.autodiscoverUrl === null) delete filled.autodiscoverUrl;
  return filled;
}

function sameValue(field: ProviderSpecField, old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return false;
  if ((field === "name" || field === "proxyFqdn") && typeof old === "string" && typeof next === "string") {
    return old.toLowerCase() === next.toLowerCase();
  }
  return old === next;
}

function sameIdentity(old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return true; // it may turn out the same, so assume it collides
  return typeof old === "string" && typeof next === "string" && old.toLowerCase() === next.toLowerCase();
}

/**
 * Compares the state of an `ImProvider` with its new (checked) inputs: `changes` when any
 * setting differs, `replaces` for the settings Lync cannot change in place (a public
 * provider: all but `enabled` and `verificationLevel`; a hosted one: `name`, `kind`,
 * `proxyFqdn`), and `deleteBeforeReplace` when the replacement keeps the old name or
 * `proxyFqdn` (compared ignoring case), which the store would refuse beside the old provider.
 * `adopt` only matters to create and never causes a diff.
 */
export function diffImProvider(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): DiffResult {
  const old = withDefaults(olds);
  const next = withDefaults(news);
  const changed = PROVIDER_SPEC_FIELDS.filter((field) => !sameValue(field, old[field], next[field]));
  const immutable: readonly string[] = REPLACE_ON_CHANGE_FIELDS[old.kind === "hosted" ? "hosted" : "public"];
  const replaces = changed.filter((field) => immutable.includes(field));
  const deleteBeforeReplace =
    replaces.length > 0 && (sameIdentity(old.name, next.name) || sameIdentity(old.proxyFqdn, next.proxyFqdn));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace,
  };
}
