import type { Decision } from "../core";
import {
  decideIncomingRequest,
  federationKind,
  imProviderKind,
  incomingRequestSchema,
  parseOrThrow,
} from "../core";
import type { ObjectStore } from "./object-store";

/**
 * Decides an incoming request (`POST /v1/evaluate`) by the store's current federation settings
 * and provider: the Lync procedure's rules in `core/decision.ts`, fed from the store. An unknown provider
 * is a rejection, not an error.
 */
export async function evaluateIncomingRequest(objects: ObjectStore, body: unknown): Promise<Decision> {
  const request = parseOrThrow(incomingRequestSchema, body, "request");
  const [federation, provider] = await Promise.all([
    objects.find(federationKind, federationKind.singletonId ?? ""),
    objects.tryFind(imProviderKind, request.provider),
  ]);
  return decideIncomingRequest(request, { federationEnabled: federation.enabled, provider });
}
