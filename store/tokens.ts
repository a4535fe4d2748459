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

/** The fewest bits of entropy a token must carry (docs/api.md: Tokens are random (at least 128 bits)). */
export const MIN_TOKEN_ENTROPY_BITS = 128;

/** The shortest token an operator may give (`--admin-token`). */
export const MIN_TOKEN_LENGTH = 32;

const MAKE_ONE = "make a random one, such as with `openssl rand -base64 32`";

/**
 * Why a token given by an operator (`--admin-token`) is unfit, or `undefined` when it is fit.
 * The message never quotes the token: it is a secret, and it would land in a terminal's
 * scroll-back or a service's journal.
 */
export function tokenProblem(secret: string): string | undefined {
  if (secret.length < MIN_TOKEN_LENGTH)
    return `must be at least ${MIN_TOKEN_LENGTH} characters (it has ${secret.length}); ${MAKE_ONE}`;
  if (secret.length > 256) return "must be at most 256 characters";
  if (!/^[\x21-\x7e]+$/.test(secret)) return "may hold only printable ASCII characters without spaces";
  const bits = Math.floor(estimatedEntropyBits(secret));
  if (bits < MIN_TOKEN_ENTROPY_BITS) {
    return `is too easy to guess: its repeated, sequential or few distinct characters carry about ${bits} bits, and a token needs at least ${MIN_TOKEN_ENTROPY_BITS}; ${MAKE_ONE}`;
  }
  return undefined;
}

// The shortest repeat or sequence that is charged as one pattern rather than per character.
const MIN_PATTERN = 3;

/**
 * An estimate of the entropy of a secret, in bits, that is low for what a person types and
 * close to the truth for a random string. Each character costs the bits of the alphabet its
 * character classes span (lower case 26, upper case 26, digits 10, symbols 32), capped by the
 * number of distinct characters it holds; a stretch that repeats earlier text (a run such as
 * "aaaa" included) or steps through neighbouring characters ("abcd", "9876") costs only the
 * bits to say where it starts and how long it is. This follows the matching of zxcvbn
 * (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016) without
 * its dictionaries: a token is not a password, only a random string is fit.
 */
export function estimatedEntropyBits(secret: string): number {
  const characters = [...secret];
  let alphabet = 0;
  if (/[a-z]/.test(secret)) alphabet += 26;
  if (/[A-Z]/.test(secret)) alphabet += 26;
  if (/[0-9]/.test(secret)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(secret)) alphabet += 32;
  const distinct = new Set(characters).size;
  const perCharacter = Math.log2(Math.max(2, Math.min(alphabet, distinct * 2)));
  const patternCost = Math.log2(characters.length) * 2;
  let bits = 0;
  let index = 0;
  while (index < characters.length) {
    const length = Math.max(repeatLength(characters, index), sequenceLength(characters, index));
    if (length >= MIN_PATTERN) {
      bits += patternCost;
      index += length;
    } else {
      bits += perCharacter;
      index += 1;
    }
  }
  return bits;
}

// The length of the longest stretch from `start` that repeats text starting earlier (it may
// overlap itself, so "aaaa" after one "a" is a repeat of length 3).
function repeatLength(characters: readonly string[], start: number): number {
  let longest = 0;
  for (let from = 0; from < start; from++) {
    let length = 0;
    while (start + length < characters.length && characters[from + length] === characters[start + length])
      length++;
    longest = Math.max(longest, length);
  }
  return longest;
}

// The length of the stretch from `start` whose code points step by +1 or -1 each.
function sequenceLength(characters: readonly string[], start: number): number {
  const code = (index: number) => characters[index]?.codePointAt(0) ?? Number.NaN;
  const step = code(start + 1) - code(start);
  if (step !== 1 && step !== -1) return 1;
  let length = 2;
  while (start + length < characters.length && code(start + length) - code(start + length - 1) === step)
    length++;
  return length;
}
