import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { DOMAIN_ERROR_CODES } from "../../../core";
import { ERROR_STATUS } from "../../../store/http/http-error";

/**
 * `core/` is the domain and nothing else: it imports only itself and zod, and holds no HTTP
 * detail (no status number, no error code that only the transport has), so that the store's
 * HTTP layer and the client are the only parts that speak HTTP.
 */

const CORE = path.join(__dirname, "../../../core");

function sources(folder: string): { file: string; code: string }[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => ({ file: path.relative(CORE, file), code: withoutComments(readFileSync(file, "utf8")) }));
}

// The code without its comments (a comment may say what the HTTP layer does).
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

const files = sources(CORE);

it("reads core's files", () => {
  expect(files.map(({ file }) => file)).toEqual(expect.arrayContaining(["errors.ts", "kinds/definition.ts"]));
});

it.each(files.map(({ file, code }) => [file, code] as const))(
  "%s imports only core and zod",
  (file, code) => {
    const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
    expect(imports.filter((source) => source !== "zod" && !source?.startsWith("."))).toEqual([]);
    const outside = imports.filter(
      (source) =>
        source?.startsWith(".") &&
        !path.resolve(CORE, path.dirname(file), source).startsWith(`${CORE}${path.sep}`),
    );
    expect(outside).toEqual([]);
  },
);

it.each(files.map(({ file, code }) => [file, code] as const))(
  "%s holds no HTTP status and no transport-only error code",
  (_file, code) => {
    const transportOnly = Object.keys(ERROR_STATUS).filter(
      (code) => !(DOMAIN_ERROR_CODES as readonly string[]).includes(code),
    );
    // A status is a number the HTTP layer answers with, given as a status (a length of 500 is not one).
    const statuses = [...new Set(Object.values(ERROR_STATUS))].join("|");
    expect(code.match(new RegExp(`\\bstatus\\w*\\W{1,4}(${statuses})\\b`, "gi"))).toBeNull();
    expect(transportOnly.filter((wire) => code.includes(`"${wire}"`))).toEqual([]);
  },
);
