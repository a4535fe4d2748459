import type { RequestListener } from "node:http";
import http from "node:http";
import https from "node:https";

/** The largest request body the API takes (docs/api.md: at most 64 KiB, else 413). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How long the store waits for a client, and how many connections it holds, so that slow or
 * idle clients cannot hold it (OWASP API4:2023, unrestricted resource consumption).
 */
export interface TransportLimits {
  /** A request's headers must arrive within this many milliseconds of the connection or of the previous request. */
  readonly headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this many milliseconds; at least `headersTimeoutMs`. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many milliseconds. */
  readonly keepAliveTimeoutMs: number;
  /** Connections held at once; one more is closed at once, before any byte is read. */
  readonly maxConnections: number;
}

/**
 * Limits fit for an administrative API: its requests are small (64 KiB at most) and its clients
 * few (a Pulumi run, a pipeline, the CLI, a browser), so 10 s for headers, 30 s for a request,
 * 5 s of keep-alive idleness (Node's own default) and 256 connections are generous for them and
 * tight for a flood of slow clients.
 */
export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
});

/** The certificate and private key to serve HTTPS with (PEM text). */
export interface TlsIdentity {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/**
 * Node checks the header and request timeouts of open connections on an interval (30 s by
 * default: a slow client could stay that much longer); the check is cheap with few connections.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** Tells what is wrong with transport limits, or `undefined` when they are fit. */
export function transportLimitsProblem(limits: TransportLimits): string | undefined {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = limits;
  for (const [name, value] of Object.entries({ headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs })) {
    if (!Number.isFinite(value) || value <= 0) return `${name} must be a positive number, not ${value}`;
  }
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    return `maxConnections must be a whole number of at least 1, not ${maxConnections}`;
  // Node refuses a header timeout longer than the request's (node:http, ERR_OUT_OF_RANGE).
  if (headersTimeoutMs > requestTimeoutMs)
    return `the headers timeout (${headersTimeoutMs} ms) must not exceed the request timeout (${requestTimeoutMs} ms)`;
  return undefined;
}

/**
 * Makes the store's Node server (fastify's `serverFactory`): HTTP, or HTTPS with `tls`, with the
 * {@link TransportLimits} applied.
 */
export function createNodeServer(
  limits: TransportLimits,
  tls: TlsIdentity | undefined,
  handler: RequestListener,
): http.Server {
  const problem = transportLimitsProblem(limits);
  if (problem !== undefined) throw new Error(`invalid transport limits: ${problem}`);
  const options: http.ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  };
  // An https.Server answers requests exactly as an http.Server does; fastify takes either.
  const server =
    tls === undefined
      ? http.createServer(options, handler)
      : (https.createServer({ ...options, cert: tls.cert, key: tls.key }, handler) as unknown as http.Server);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
