import { userInfo } from "node:os";
import { Command, Option } from "commander";
import type { Role } from "../../core";
import { roleSchema } from "../../core";
import { openTopologyStore } from "../../store";
import type { TopologyStore, WriteContext } from "../../store";
import { generateToken } from "../../store";
import { CliError, EXIT } from "../exit-codes";
import { printJson, printNote, printTable } from "../output";
import { DEFAULT_DB, dbLocationOf } from "./serve";

interface DbOptions {
  readonly db: string;
  readonly json?: boolean;
}

const dbOption = () =>
  new Option("--db <path-or-url>", "the store's SQLite file, or a postgres:// URL")
    .env("IMFED_DB")
    .default(DEFAULT_DB);
const ROLES: readonly Role[] = roleSchema.options;
const jsonOption = () => new Option("--json", "print JSON for machines");

// Writes made straight on the database name the operating-system user, so the audit log still
// says who made them.
function localContext(command: string): WriteContext {
  return { actor: `local:${userInfo().username}`, via: "cli", reason: `imfed ${command} --db` };
}

// Only an existing store is opened: a mistyped --db must fail, not make a new store whose token
// would then be printed as if it were the real one's.
async function withStore<T>(db: string, body: (store: TopologyStore) => Promise<T>): Promise<T> {
  const store = await openTopologyStore(dbLocationOf(db), { mustExist: true });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * `imfed token create|list|revoke --db`: manages tokens straight on the database, for the
 * bootstrap and for recovery when no administrator token is left.
 */
export function tokenCommand(): Command {
  const token = new Command("token").description(
    "manage API tokens straight on the store's database (bootstrap and recovery)",
  );

  token
    .command("create")
    .description("create a token and print its secret (shown only this once)")
    .argument("<name>", "the token's name: who the audit log says made a change")
    .addOption(
      new Option(
        "--role <role>",
        "the token's role (required): CsAdministrator changes everything, CsViewOnlyAdministrator only reads",
      ).choices(ROLES),
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (name: string, options: DbOptions & { role?: Role }) => {
      // No default role: a forgotten flag must not make an administrator.
      const role = options.role;
      if (role === undefined) {
        throw new CliError(
          `token create needs a role: give --role ${ROLES.join("|")} (CsViewOnlyAdministrator for a token that only reads)`,
          EXIT.usage,
        );
      }
      const created = await withStore(options.db, (store) =>
        store.insertToken(name, role, generateToken(), localContext("token create")),
      );
      if (options.json) printJson(created);
      else {
        printNote(`Created token "${created.name}" (${created.role}). Its secret is shown only this once:`);
        process.stdout.write(`${created.token}\n`);
      }
    });

  token
    .command("list")
    .description("list the tokens (never their secrets)")
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (options: DbOptions) => {
      const tokens = await withStore(options.db, (store) => store.listTokens());
      if (options.json) printJson({ items: tokens });
      else
        printTable(tokens, [
          { heading: "NAME", cell: (t) => t.name },
          { heading: "ROLE", cell: (t) => t.role },
          { heading: "CREATED", cell: (t) => t.createdAt },
        ]);
    });

  token
    .command("revoke")
    .description("revoke a token: it stops working at once")
    .argument("<name>", "the token's name")
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (name: string, options: DbOptions) => {
      await withStore(options.db, (store) => store.deleteToken(name, localContext("token revoke")));
      if (options.json) printJson({ revoked: name });
      else printNote(`Revoked token "${name}".`);
    });

  return token;
}
