import type { FastifyRequest } from "fastify";
import { stdSerializers } from "pino";
import { withoutTokens } from "../tokens";

/**
 * The URL of a request as its log lines show it: the path, with anything that may be a token
 * redacted, and the query string, if any, as `?[redacted]`. A client may put a token in a query
 * string (`?access_token=`, as some tools do); the API takes none there, so nothing of use is lost.
 */
export function loggedUrl(url: string): string {
  const question = url.indexOf("?");
  const path = question === -1 ? url : url.slice(0, question);
  return withoutTokens(path) + (question === -1 ? "" : "?[redacted]");
}

/**
 * The pino serializers of the store's logger: a request is logged by method, redacted URL, host,
 * client address and port (never its headers), and an error's message and stack have anything
 * that may be a token redacted (fastify's own messages may quote the URL).
 */
export const LOG_SERIALIZERS = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: loggedUrl(request.url),
    host: withoutTokens(String(request.host ?? "")),
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  err: (error: Error) => {
    const serialized = stdSerializers.err(error);
    return {
      ...serialized,
      message: withoutTokens(serialized.message),
      ...(serialized.stack === undefined ? {} : { stack: withoutTokens(serialized.stack) }),
    };
  },
};
