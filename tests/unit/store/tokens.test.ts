import { randomBytes } from "node:crypto";
import {
  MIN_TOKEN_ENTROPY_BITS,
  estimatedEntropyBits,
  generateToken,
  tokenProblem,
} from "../../../store/tokens";

/**
 * An operator's `--admin-token` must be a random secret of at least 128 bits (docs/architecture.md:
 * "Tokens are random (at least 128 bits)"): long enough, and not an obvious pattern.
 */
describe("tokenProblem", () => {
  it.each([
    ["32 times the same character", "a".repeat(32)],
    ["a run of the alphabet", "abcdefghijklmnopqrstuvwxyzabcdef"],
    ["digits counting up", "01234567890123456789012345678901"],
    ["letters counting down", "zyxwvutsrqponmlkjihgfedcbazyxwvu"],
    ["a short word repeated", "Password1Password1Password1Password1"],
    ["two characters alternating", "abababababababababababababababab"],
    ["a keyboard row and a repeat", "qwertyuiopasdfghjklzxcvbnmqwertyu"],
    ["random digits only", "83920174650918273645019283746501"],
  ])("refuses %s, saying how to make a random token", (_, secret) => {
    const problem = tokenProblem(secret);
    expect(problem).toContain("too easy to guess");
    expect(problem).toContain("openssl rand -base64 32");
    expect(problem).not.toContain(secret);
  });

  it("refuses a token shorter than 32 characters, saying how to make one", () => {
    expect(tokenProblem(randomBytes(15).toString("base64"))).toMatch(
      /at least 32 characters.*openssl rand -base64 32/,
    );
  });

  it("refuses spaces, control and non-ASCII characters", () => {
    const base = randomBytes(32).toString("base64");
    for (const bad of [" ", "\n", "\u0000", "é"]) {
      expect(tokenProblem(base + bad)).toBe("may hold only printable ASCII characters without spaces");
    }
  });

  it.each([
    ["openssl rand -base64 32", () => randomBytes(32).toString("base64")],
    ["openssl rand -hex 32", () => randomBytes(32).toString("hex")],
    ["openssl rand -hex 16", () => randomBytes(16).toString("hex")],
    ["a token of imfed's own", generateToken],
    ["a UUID", () => crypto.randomUUID()],
  ])("accepts random tokens as %s makes them (1,000 of them)", (_, make) => {
    const refused: string[] = [];
    for (let index = 0; index < 1000; index++) {
      const secret = make();
      if (tokenProblem(secret) !== undefined) refused.push(secret);
    }
    // openssl rand -hex 16 carries exactly 128 bits; a rare draw that looks patterned may be
    // refused (about 4 in 100,000, so 4 in 1,000 draws about once in ten million runs), and the
    // message then says to make another.
    expect(refused.length).toBeLessThanOrEqual(3);
  });

  it("estimates a random base64 token of 32 bytes near its 256 bits, and 32 x 'a' near none", () => {
    expect(estimatedEntropyBits(randomBytes(32).toString("base64"))).toBeGreaterThan(200);
    expect(estimatedEntropyBits("a".repeat(32))).toBeLessThan(16);
    expect(MIN_TOKEN_ENTROPY_BITS).toBe(128);
  });
});
