import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { validate } from "../../core";
import { badRequest } from "./http-error";

/** The query string of a route that takes none. */
export const NO_QUERY = z.strictObject({});

/**
 * The query string of a request, parsed by the route's schema. A query string that does not
 * fit is a malformed request (400 `bad_request`), not an invalid object.
 */
export function queryOf<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  const result = validate(schema, request.query ?? {});
  if (result.ok) return result.value;
  const problems = result.details.map(
    (detail) => `${detail.path === "" ? "query" : detail.path} ${detail.message}`,
  );
  throw badRequest(`invalid query string: ${problems.join("; ")}`);
}
