import type { CompiledQuery } from "kysely";

/**
 * A query compiled once and run with new parameters: building and compiling a kysely query
 * costs more than SQLite takes to answer it, on the hot path of every request. Compile it
 * with placeholder values, in the order {@link ReusableQuery.with} gives the real ones.
 */
export class ReusableQuery<Row> {
  constructor(private readonly compiled: CompiledQuery<Row>) {}

  /** The query with these parameters, to run with `db.executeQuery` (on a transaction too). */
  with(...parameters: unknown[]): CompiledQuery<Row> {
    return { ...this.compiled, parameters };
  }
}
