import type { z } from "zod";
import type { ValidationDetail } from "./errors";
import { ValidationError } from "./errors";
import { validationSummary } from "./messages";

/** Says why a field that the schema does not take was refused. */
export type UnknownFieldMessage = (field: string) => string;

const notAField: UnknownFieldMessage = () => "is not a known field";

/**
 * Turns zod's issues into the contract's validation details: one per failed rule, with its
 * dot-separated property path, and one per unknown field (worded by `unknownField`, so that a
 * kind can say "is a hosted-only setting").
 */
export function validationDetails(
  error: z.ZodError,
  input: unknown,
  unknownField: UnknownFieldMessage = notAField,
): ValidationDetail[] {
  const details: ValidationDetail[] = [];
  for (const issue of error.issues) {
    const prefix = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        details.push({
          path: [...prefix, key].join("."),
          message: prefix.length === 0 ? unknownField(key) : "is not a known field",
        });
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

/** The result of {@link validate}: the parsed value, or every failure with its path. */
export type ValidationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly details: ValidationDetail[] };

/** Validates a value against a schema and returns the parsed value or every failure; never throws. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  unknownField?: UnknownFieldMessage,
): ValidationResult<z.infer<S>> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, details: validationDetails(result.error, value, unknownField) };
}

/** Validates a value against a schema and returns the parsed value; throws {@link ValidationError} naming `what`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = validate(schema, value);
  if (result.ok) return result.value;
  throw new ValidationError(validationSummary(what, result.details), result.details);
}
