const { existsSync, readdirSync } = require("node:fs");
const path = require("node:path");

// The PostgreSQL runs need Debian's postgresql package (.ci/run installs it). Without it, and
// outside CI, the PostgreSQL-only files are left out, as tests/helpers/postgres.ts's
// postgresSkipReason() leaves out the PostgreSQL cases of the suites that run both backends.
const pgRoot = "/usr/lib/postgresql";
const postgresInstalled =
  Boolean(process.env.IMFED_PG_BIN) ||
  (existsSync(pgRoot) &&
    readdirSync(pgRoot).some((version) => existsSync(path.join(pgRoot, version, "bin", "initdb"))));
const skipPostgres = !postgresInstalled && process.env.CI === undefined;

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
  testPathIgnorePatterns: ["/node_modules/", ...(skipPostgres ? ["\\.postgres\\.test\\.ts$"] : [])],
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
