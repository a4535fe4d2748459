/**
 * Jest runs the TypeScript sources through SWC (types are checked apart, by `npm run typecheck`).
 * Integration tests start real processes from `dist/`, which `npm test` builds first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: [
    "<rootDir>/tests",
    "<rootDir>/core",
    "<rootDir>/store",
    "<rootDir>/client",
    "<rootDir>/provider",
    "<rootDir>/sdk",
    "<rootDir>/cli",
  ],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript" },
          target: "es2022",
          transform: { useDefineForClassFields: false },
        },
        module: { type: "commonjs" },
      },
    ],
  },
  testTimeout: 60000,
};
