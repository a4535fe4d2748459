import type { FastifyReply, FastifyRequest } from "fastify";
import { singleHeader } from "./request-context";

/**
 * Answers with an object and its `ETag` (`"<revision>"`), or, for a GET whose `If-None-Match`
 * already names the current revision (or `*`), with 304 and no body.
 */
export function sendWithEtag(
  request: FastifyRequest,
  reply: FastifyReply,
  body: { readonly revision: number },
  status = 200,
) {
  const etag = `"${body.revision}"`;
  reply.header("etag", etag);
  if (request.method === "GET") {
    const ifNoneMatch = singleHeader(request, "if-none-match");
    if (ifNoneMatch !== undefined) {
      const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
      if (tags.includes("*") || tags.includes(etag)) return reply.code(304).send();
    }
  }
  return reply.code(status).send(body);
}
