import type { FastifyReply, FastifyRequest } from "fastify";
import type { FormBody } from "./form-fields";

/** Sends a rendered page as HTML. */
export function sendPage(reply: FastifyReply, body: string): FastifyReply {
  return reply.type("text/html; charset=utf-8").send(body);
}

/** The form a request posted (parsed by @fastify/formbody), or an empty one. */
export function formOf(request: FastifyRequest): FormBody {
  const body = request.body;
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as FormBody) : {};
}

/** A query parameter of a request, or `undefined` when it is absent or repeated. */
export function queryOf(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Readonly<Record<string, unknown>> | undefined)?.[name];
  return typeof value === "string" ? value : undefined;
}
