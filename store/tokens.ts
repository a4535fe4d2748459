import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The prefix of every token imfed makes, so that secret scanners can recognize one. */
export const TOKEN_PREFIX = "imfed_";

// A token's prefix anywhere (in any case), or a run of 43 or more base64url characters that is
// not only hex digits and hyphens: a token's random part (256 bits are 43 characters) with or
// without its prefix. Hex runs are left alone: trace ids and UUIDs are made of them.
const TOKEN_LIKE = /imfed_|(?=[A-Za-z0-9_-]*[G-Zg-z_])[A-Za-z0-9_-]{43,}/i;
const TOKEN_LIKE_ALL = new RegExp(
  `${TOKEN_PREFIX}[A-Za-z0-9_-]*|(?=[A-Za-z0-9_-]*[G-Zg-z_])[A-Za-z0-9_-]{43,}`,
  "gi",
);

/** Tells whether a text may hold a token (a client's mistake), so that it is neither echoed nor logged. */
export function mayHoldToken(text: string): boolean {
  return TOKEN_LIKE.test(text);
}

/** The text with everything that may be a token replaced by `[redacted]`, fit for a log line. */
export function withoutTokens(text: string): string {
  return text.replace(TOKEN_LIKE_ALL, "[redacted]");
}

/** Makes a new token: the prefix and 256 random bits in base64url. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * The hash under which a token is stored. Tokens are high-entropy secrets, so a fast hash
 * is right (a password hash on every request would cost throughput and add no strength).
 */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Compares two token hashes in constant time. */
export function sameTokenHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Why a token given by an operator (`--admin-token`) is unfit, or `undefined` when it is fit. */
export function tokenProblem(secret: string): string | undefined {
  if (secret.length < 32)
    return "must be at least 32 characters (use a random value, such as `openssl rand -base64 32`)";
  if (secret.length > 256) return "must be at most 256 characters";
  if (!/^[\x21-\x7e]+$/.test(secret)) return "may hold only printable ASCII characters without spaces";
  return undefined;
}
