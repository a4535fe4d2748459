// Runs the benchmarks' TypeScript as jest does (tests/helpers and bench/ are never built into
// dist/): each .ts file is transpiled by SWC when it is required. Types are checked apart, by
// `npm run typecheck`. Usage: node -r ./bench/register.js bench/run.ts
const { readFileSync } = require("node:fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, "utf8"), {
    filename,
    jsc: {
      parser: { syntax: "typescript" },
      target: "es2022",
      transform: { useDefineForClassFields: false },
    },
    module: { type: "commonjs" },
    sourceMaps: "inline",
  });
  module._compile(code, filename);
};
