/**
 * The domain of imfed: zod schemas of IM service providers and the federation settings with
 * every rule of DESIGN.md, the built-in providers, the decision for an incoming request, and
 * the error classes every layer shares. Pure code: no I/O, no HTTP, no SQL, no Pulumi.
 */
export * from "./errors";
export * from "./provider";
export * from "./federation";
export * from "./built-ins";
export * from "./decision";
export * from "./records";
export * from "./validation";
