import { asciiLowerCase, proxyFqdnSchema, tokenNameKey, validate } from "../../../core";

// A provider name is compared as its ASCII lower case, as every case-insensitive field is.
const providerNameKey = asciiLowerCase;

/**
 * Names and FQDNs are ASCII (docs/architecture.md), so their case is folded in ASCII only: a
 * character outside ASCII never folds onto an ASCII letter, so it names no stored object.
 */

// Characters that Unicode case mapping takes to or from ASCII letters (SpecialCasing.txt and
// UnicodeData.txt): KELVIN SIGN lower-cases to "k", U+0130 to "i" and a combining dot, and the
// others upper-case to ASCII letters.
const FOLDING_INTO_ASCII = ["\u212A", "\u0130", "\u0131", "\u017F", "\u00DF", "\uFB01"];

describe("the name keys", () => {
  it("fold ASCII letters of provider and token names to lower case", () => {
    expect(providerNameKey("Yahoo! IM (EU)")).toBe("yahoo! im (eu)");
    expect(tokenNameKey("Ops-OnCall@Example.COM")).toBe("ops-oncall@example.com");
  });

  it("never fold KELVIN SIGN onto k, so that \u212Aik is not Kik and \u212Aiosk is not kiosk", () => {
    expect(providerNameKey("\u212Aik")).not.toBe(providerNameKey("Kik"));
    expect(tokenNameKey("\u212Aiosk")).not.toBe(tokenNameKey("kiosk"));
  });

  it.each(FOLDING_INTO_ASCII)("keep %s as it is, whatever toLowerCase makes of it", (character) => {
    expect(providerNameKey(character)).toBe(character);
    expect(tokenNameKey(`x${character}`)).toBe(`x${character}`);
  });

  it("change no character outside ASCII, over the whole of Unicode", () => {
    const changed: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      if (asciiLowerCase(character) !== character) changed.push(code.toString(16));
    }
    expect(changed).toEqual([]);
  });

  it("refuse an Access Edge FQDN with a character that folds onto an ASCII letter", () => {
    const kelvin = validate(proxyFqdnSchema, "sip.\u212Aik.example");
    expect(kelvin.ok).toBe(false);
    const plain = validate(proxyFqdnSchema, "SIP.Kik.Example");
    expect(plain).toEqual({ ok: true, value: "sip.kik.example" });
  });
});
