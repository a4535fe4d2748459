import type { z } from "zod";
import type { ValidationDetail } from "./errors";
import { ValidationError } from "./errors";
import { HOSTED_ONLY_FIELDS } from "./provider";

/**
 * Turns zod's issues into the contract's validation details: one per failed rule, with its
 * dot-separated property path, and one per unknown field (hosted-only fields on a public
 * provider are named as such).
 */
export function validationDetails(error: z.ZodError, input: unknown): ValidationDetail[] {
  const details: ValidationDetail[] = [];
  for (const issue of error.issues) {
    const prefix = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        details.push({ path: [...prefix, key].join("."), message: unknownFieldMessage(key) });
      }
      continue;
    }
    const path = prefix.join(".");
    details.push({
      path,
      message:
        issue.code === "invalid_type" && valueAt(input, issue.path) === undefined
          ? "is required"
          : issue.message,
    });
  }
  return details;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function unknownFieldMessage(field: string): string {
  return (HOSTED_ONLY_FIELDS as readonly string[]).includes(field)
    ? "is a hosted-only setting: a public provider cannot have it (remove it, or make the provider hosted)"
    : "is not a known field";
}

/** The result of {@link validate}: the parsed value, or every failure with its path. */
export type ValidationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly details: ValidationDetail[] };

/** Validates a value against a schema and returns the parsed value or every failure; never throws. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): ValidationResult<z.infer<S>> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, details: validationDetails(result.error, value) };
}

/** Validates a value against a schema and returns the parsed value; throws {@link ValidationError} naming `what`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = validate(schema, value);
  if (result.ok) return result.value;
  const first = result.details[0];
  const summary = first === undefined ? "" : `: ${first.path === "" ? "" : `${first.path} `}${first.message}`;
  throw new ValidationError(
    `invalid ${what}${summary}${result.details.length > 1 ? ` (and ${result.details.length - 1} more)` : ""}`,
    result.details,
  );
}
