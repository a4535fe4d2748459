/**
 * The domain of imfed: the resource kinds, each declared once as data (`core/kinds`), with the
 * machinery every layer derives from them; the tokens, the audit log, the decision for an
 * incoming request, and the error classes every layer shares. Pure code: no I/O, no HTTP, no
 * SQL, no Pulumi.
 */
export * from "./errors";
export * from "./messages";
export * from "./names";
export * from "./last-write";
export * from "./kinds";
export * from "./tokens";
export * from "./audit";
export * from "./decision";
export * from "./validation";
