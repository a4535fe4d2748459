import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ResourceKind } from "../../core";
import type { ObjectStore } from "../object-store";
import { MAX_BATCH_IDS } from "../object-store";
import type { ApiRouter } from "./api-router";
import { NO_QUERY, queryOf } from "./query-of";
import { preconditionsOf, writeContextOf } from "./request-context";
import { sendWithEtag } from "./send-with-etag";

const JSON_BODY = ["application/json"] as const;
// A PATCH is a JSON merge patch (RFC 7396), sent as either type.
const PATCH_BODY = ["application/json", "application/merge-patch+json"] as const;

/**
 * Registers the routes of one resource kind, from its definition (docs/api.md): for a kind of many objects `GET /v1/<path>` (the list, `?<discriminator>=`
 * narrowing it to a variant) and `GET`, `PUT`, `PATCH`, `DELETE /v1/<path>/{id}`; for a
 * singleton `GET`, `PUT`, `PATCH /v1/<path>`. Reads need any token, writes an administrator's.
 */
export function registerKindRoutes(router: ApiRouter, store: ObjectStore, kind: ResourceKind): void {
  const collection = `/v1/${kind.path}`;
  const singleton = kind.singletonId;
  if (singleton !== undefined) {
    registerObjectRoutes(router, store, kind, collection, () => singleton);
    return;
  }
  const identity = kind.identityField ?? "id";
  const listQuery = listQueryOf(kind, identity);
  router.route("GET", collection, { access: "read" }, async (request) => {
    const query = queryOf(request, listQuery);
    const filter: Record<string, string> = {};
    for (const [field, value] of Object.entries(query))
      if (field !== identity && typeof value === "string") filter[field] = value;
    const ids = query[identity] as string | readonly string[] | undefined;
    // A batch read by identity (`?name=a&name=b`): only the objects asked for, in one query.
    const items =
      ids === undefined
        ? await store.list(kind, filter)
        : (await store.findMany(kind, typeof ids === "string" ? [ids] : ids)).filter((record) =>
            Object.entries(filter).every(
              ([field, value]) => (record as Record<string, unknown>)[field] === value,
            ),
          );
    return { items };
  });
  const idOf = (request: FastifyRequest) =>
    (request.params as Readonly<Record<string, string>>)[identity] ?? "";
  registerObjectRoutes(router, store, kind, `${collection}/:${identity}`, idOf);
}

// The list's query string: the discriminator, one of the kind's variants; and the identity,
// once or repeated (at most MAX_BATCH_IDS times), each a valid id: a batch read of those objects.
function listQueryOf(kind: ResourceKind, identity: string): z.ZodType<Readonly<Record<string, unknown>>> {
  const discriminator = kind.discriminator;
  const id = kind.field(identity).type;
  const ids = z.union([
    id,
    z
      .array(id)
      .max(MAX_BATCH_IDS, { error: `names at most ${MAX_BATCH_IDS} objects; split the read into several` }),
  ]);
  return z.strictObject({
    [identity]: ids.optional(),
    ...(discriminator === undefined ? {} : { [discriminator]: kind.field(discriminator).type.optional() }),
  });
}

function registerObjectRoutes(
  router: ApiRouter,
  store: ObjectStore,
  kind: ResourceKind,
  url: string,
  idOf: (request: FastifyRequest) => string,
): void {
  router.route("GET", url, { access: "read" }, async (request, reply) => {
    queryOf(request, NO_QUERY);
    return sendWithEtag(request, reply, await store.find(kind, idOf(request)));
  });

  const write = { access: "admin", preconditions: true } as const;
  router.route("PUT", url, { ...write, bodyTypes: JSON_BODY }, async (request, reply) => {
    queryOf(request, NO_QUERY);
    const { record, created } = await store.put(
      kind,
      idOf(request),
      request.body,
      preconditionsOf(request),
      writeContextOf(request),
    );
    return sendWithEtag(request, reply, record, created ? 201 : 200);
  });

  router.route("PATCH", url, { ...write, bodyTypes: PATCH_BODY }, async (request, reply) => {
    queryOf(request, NO_QUERY);
    const record = await store.patch(
      kind,
      idOf(request),
      request.body,
      preconditionsOf(request),
      writeContextOf(request),
    );
    return sendWithEtag(request, reply, record);
  });

  // The store always holds a singleton's object: it has no DELETE (405).
  if (kind.singletonId !== undefined) return;
  router.route("DELETE", url, write, async (request, reply) => {
    queryOf(request, NO_QUERY);
    await store.remove(kind, idOf(request), preconditionsOf(request), writeContextOf(request));
    return reply.code(204).send();
  });
}
