import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// Each service's migrations (services/<svc>/migrations, ADR 0040) against the monolith's
// (migrations/, applied to env.DB by test/apply-migrations.ts): applied to a fresh D1 each,
// every table, index, trigger and virtual table of the monolith must appear in exactly the
// service that owns it (the shared tables of src/db in all three), the same, and no service may
// hold anything else.

type Service = "users" | "products" | "orders";
const SERVICES: readonly Service[] = ["users", "products", "orders"];

/** Who owns each table: the module whose infrastructure/ declares it, or src/db ("shared"). */
const OWNER: Record<string, Service | "shared"> = {
  domain_events: "shared",
  unique_claims: "shared",
  maintenance_cursors: "shared",
  users: "users",
  user_credentials: "users",
  refresh_tokens: "users",
  admin_seats: "users",
  pii_keys: "users",
  user_data_keys: "users",
  products: "products",
  // The full-text index (hand-written SQL) and the tables FTS5 keeps for it.
  products_fts: "products",
  products_fts_data: "products",
  products_fts_idx: "products",
  products_fts_docsize: "products",
  products_fts_config: "products",
  products_fts_terms: "products",
  orders: "orders",
  order_holds: "orders",
  idempotency_keys: "orders",
};

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * What `db` holds, each object by `type name` with what defines it: a table made by CREATE TABLE
 * by its columns (an ALTER TABLE ... ADD in the monolith's history rewrites the statement's
 * text, not the table), anything else by its SQL. Left out: SQLite's and D1's own tables and
 * the list of applied migrations.
 */
async function schemaOf(db: D1Database) {
  const { results } = await db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master " +
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' " +
        "AND name <> 'd1_migrations' ORDER BY type, name",
    )
    .all<SchemaObject>();
  const described = new Map<string, { table: string; definition: unknown }>();
  for (const object of results) {
    const isPlainTable = object.type === "table" && /^CREATE TABLE/i.test(object.sql ?? "");
    const definition = isPlainTable ? await columnsOf(db, object.name) : object.sql;
    described.set(`${object.type} ${object.name}`, { table: object.tbl_name, definition });
  }
  return described;
}

/** A table's columns, sorted by name: name, type, NOT NULL, default and primary-key position. */
async function columnsOf(db: D1Database, table: string) {
  const { results } = await db
    .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY name')
    .bind(table)
    .all();
  return results;
}

const databaseOf: Record<Service, () => D1Database> = {
  users: () => env.USERS_SCHEMA_DB,
  products: () => env.PRODUCTS_SCHEMA_DB,
  orders: () => env.ORDERS_SCHEMA_DB,
};
const migrationsOf: Record<Service, () => typeof env.TEST_MIGRATIONS> = {
  users: () => env.TEST_MIGRATIONS_USERS,
  products: () => env.TEST_MIGRATIONS_PRODUCTS,
  orders: () => env.TEST_MIGRATIONS_ORDERS,
};

describe("each service's migrations", () => {
  it("leave no table of the monolith without an owner", async () => {
    const monolith = await schemaOf(env.DB);
    const unowned = [...monolith.values()]
      .map(({ table }) => table)
      .filter((table) => OWNER[table] === undefined);
    expect(unowned).toEqual([]);
  });

  it.each(SERVICES)(
    "make the %s database what the monolith holds of that service's and the shared tables",
    async (service) => {
      const db = databaseOf[service]();
      await applyD1Migrations(db, migrationsOf[service]());
      const monolith = await schemaOf(env.DB);
      const expected = [...monolith].filter(([, { table }]) =>
        [service, "shared"].includes(OWNER[table] ?? ""),
      );
      const actual = [...(await schemaOf(db))];
      expect(actual.map(([key]) => key)).toEqual(expected.map(([key]) => key));
      expect(actual).toEqual(expected);
    },
  );
});
