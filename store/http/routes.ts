import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { ImfedError, providerKindSchema, validate } from "../../core";
import type { TopologyStore } from "../topology-store";
import { openApiDocument } from "./openapi";
import type { Access } from "./request-context";
import { badRequest, preconditionsOf, sendWithEtag, writeContextOf } from "./request-context";

const JSON_BODY = ["application/json"] as const;
const PATCH_BODY = ["application/json", "application/merge-patch+json"] as const;

const counter = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, { error: "must be a whole number" })
  .transform(Number);
const noQuery = z.strictObject({});
const providersQuery = z.strictObject({ kind: providerKindSchema.optional() });
const auditQuery = z.strictObject({
  after: counter.optional(),
  limit: counter
    .pipe(z.number().min(1, { error: "must be 1 to 1000" }).max(1000, { error: "must be 1 to 1000" }))
    .optional(),
});

// Query strings are malformed requests (400 bad_request), not invalid objects.
function queryOf<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  const result = validate(schema, request.query ?? {});
  if (result.ok) return result.value;
  const problems = result.details.map(
    (detail) => `${detail.path === "" ? "query" : detail.path} ${detail.message}`,
  );
  throw badRequest(`invalid query string: ${problems.join("; ")}`);
}

interface NameParams {
  name: string;
}

/** Every method a path answers, for the 405 of the others and their `Allow` header. */
interface PathMethods {
  readonly path: string;
  readonly methods: readonly string[];
}

const PATHS: readonly PathMethods[] = [
  { path: "/v1/openapi.json", methods: ["GET"] },
  { path: "/v1/providers", methods: ["GET"] },
  { path: "/v1/providers/:name", methods: ["GET", "PUT", "PATCH", "DELETE"] },
  { path: "/v1/federation", methods: ["GET", "PUT", "PATCH"] },
  { path: "/v1/evaluate", methods: ["POST"] },
  { path: "/v1/audit", methods: ["GET"] },
  { path: "/v1/tokens", methods: ["GET", "POST"] },
  { path: "/v1/tokens/:name", methods: ["DELETE"] },
];

const ALL_METHODS = ["GET", "PUT", "PATCH", "POST", "DELETE", "OPTIONS"] as const;

/** Registers the routes of the HTTP API v1 (DESIGN.md, "Topology store HTTP API v1"). */
export function registerApiRoutes(app: FastifyInstance, store: TopologyStore): void {
  const read: { access: Access } = { access: "read" };
  const admin: { access: Access } = { access: "admin" };

  app.get("/healthz", { config: { access: "public" } }, async (request) => {
    queryOf(request, noQuery);
    return { status: "ok" };
  });

  // DESIGN.md gives the view-only role the GETs of providers, federation and audit and
  // evaluate, and "everything else 403": the API document is for administrators.
  app.get("/v1/openapi.json", { config: admin }, async (request) => {
    queryOf(request, noQuery);
    return openApiDocument();
  });

  app.get("/v1/providers", { config: read }, async (request) => {
    const { kind } = queryOf(request, providersQuery);
    return { items: await store.listProviders(kind) };
  });

  app.get<{ Params: NameParams }>("/v1/providers/:name", { config: read }, async (request, reply) => {
    queryOf(request, noQuery);
    return sendWithEtag(request, reply, await store.findProvider(request.params.name));
  });

  app.put<{ Params: NameParams }>(
    "/v1/providers/:name",
    { config: { ...admin, bodyTypes: JSON_BODY } },
    async (request, reply) => {
      queryOf(request, noQuery);
      const context = writeContextOf(request);
      const { record, created } = await store.putProvider(
        request.params.name,
        request.body,
        preconditionsOf(request),
        context,
      );
      return sendWithEtag(request, reply, record, created ? 201 : 200);
    },
  );

  app.patch<{ Params: NameParams }>(
    "/v1/providers/:name",
    { config: { ...admin, bodyTypes: PATCH_BODY } },
    async (request, reply) => {
      queryOf(request, noQuery);
      const context = writeContextOf(request);
      return sendWithEtag(
        request,
        reply,
        await store.patchProvider(request.params.name, request.body, preconditionsOf(request), context),
      );
    },
  );

  app.delete<{ Params: NameParams }>("/v1/providers/:name", { config: admin }, async (request, reply) => {
    queryOf(request, noQuery);
    const context = writeContextOf(request);
    await store.deleteProvider(request.params.name, preconditionsOf(request), context);
    return reply.code(204).send();
  });

  app.get("/v1/federation", { config: read }, async (request, reply) => {
    queryOf(request, noQuery);
    return sendWithEtag(request, reply, await store.getFederation());
  });

  app.put("/v1/federation", { config: { ...admin, bodyTypes: JSON_BODY } }, async (request, reply) => {
    queryOf(request, noQuery);
    const context = writeContextOf(request);
    return sendWithEtag(
      request,
      reply,
      await store.putFederation(request.body, preconditionsOf(request), context),
    );
  });

  app.patch("/v1/federation", { config: { ...admin, bodyTypes: PATCH_BODY } }, async (request, reply) => {
    queryOf(request, noQuery);
    const context = writeContextOf(request);
    return sendWithEtag(
      request,
      reply,
      await store.patchFederation(request.body, preconditionsOf(request), context),
    );
  });

  app.post("/v1/evaluate", { config: { ...read, bodyTypes: JSON_BODY } }, async (request) => {
    queryOf(request, noQuery);
    return store.evaluate(request.body);
  });

  app.get("/v1/audit", { config: read }, async (request) => {
    const { after, limit } = queryOf(request, auditQuery);
    return store.listAudit({ after: after ?? 0, limit: limit ?? 100 });
  });

  app.post("/v1/tokens", { config: { ...admin, bodyTypes: JSON_BODY } }, async (request, reply) => {
    queryOf(request, noQuery);
    const context = writeContextOf(request);
    return reply.code(201).send(await store.createToken(request.body, context));
  });

  app.get("/v1/tokens", { config: admin }, async (request) => {
    queryOf(request, noQuery);
    return { items: await store.listTokens() };
  });

  app.delete<{ Params: NameParams }>("/v1/tokens/:name", { config: admin }, async (request, reply) => {
    queryOf(request, noQuery);
    const context = writeContextOf(request);
    await store.deleteToken(request.params.name, context);
    return reply.code(204).send();
  });

  // A known path called with another method is a 405 with the methods it does answer. Only an
  // administrator gets that far: a view-only token is refused first (403), as for any write.
  for (const { path, methods } of PATHS) {
    const others = ALL_METHODS.filter((method) => !methods.includes(method));
    const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", ");
    app.route({
      method: others,
      url: path,
      config: admin,
      handler: async (request, reply) => {
        reply.header("allow", allow);
        const shown = path.replace(/:name$/, "{name}");
        throw new ImfedError(
          "method_not_allowed",
          `${request.method} is not allowed on ${shown}; it answers ${allow}`,
        );
      },
    });
  }
}
