// The benchmark's baseline: a Worker with no framework doing the same storage work as the API
// (scripts/bench.mjs runs both in one workerd and divides their throughputs). No validation, no
// auth, no logs, no problem documents: whatever the API spends beyond this is its overhead.
// A command still reads its caller from D1 as the API's authentication does (the API re-reads
// the user on every request, so a deactivation takes effect at once): that is storage work.
//
//   GET  /health              a constant response
//   GET  /products/:id        the D1 read of GET /api/products/:id
//   POST /products/:id        create a product: append to its object's log, insert it into D1
//   POST /products/:id/stock?caller=<user id>  {delta}: read the caller as authentication does,
//                             append to the log, then write the event and the product row to D1
//                             in one batch, as the API's projection does
//   POST /d1-writes/:n        only that D1 batch, for product n % 1000 at version n + 1: what one
//                             database absorbs, without the objects (bench/capacity.mjs)
import { DurableObject } from "cloudflare:workers";

const PRODUCT_COLUMNS = [
  "id",
  "sku",
  "name",
  "description",
  "price_amount",
  "price_currency",
  "stock",
  "status",
  "version",
  "created_at",
  "updated_at",
];

// The API's version-guarded upsert (src/db/upsert-newer.ts): every column but the key and
// created_at is overwritten, only by a newer version.
const UPSERT_PRODUCT = `INSERT INTO products (${PRODUCT_COLUMNS.join(", ")})
  VALUES (${PRODUCT_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (id) DO UPDATE SET ${PRODUCT_COLUMNS.filter((c) => c !== "id" && c !== "created_at")
    .map((column) => `${column} = excluded.${column}`)
    .join(", ")}
  WHERE excluded.version > products.version`;

const INSERT_EVENT = `INSERT INTO domain_events
  (aggregate_type, aggregate_id, version, type, data, occurred_at)
  VALUES ('product', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

// What authentication reads for each authenticated request (the user and its password hash).
const SELECT_CALLER = `SELECT users.*, user_credentials.password_hash FROM users
  INNER JOIN user_credentials ON user_credentials.user_id = users.id WHERE users.id = ?`;

const SELECT_PRODUCT = `SELECT ${PRODUCT_COLUMNS.join(", ")} FROM products WHERE id = ?`;

const toView = (row) => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  description: row.description,
  price: { amount: row.price_amount, currency: row.price_currency },
  stock: row.stock,
  status: row.status,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const withEtag = (view, status = 200) =>
  Response.json(view, { status, headers: { etag: `"${view.version}"` } });

/** One product's log: events in SQLite, the state in memory, D1 written after each append. */
export class BareLog extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS events (
      version INTEGER PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL, occurred_at TEXT NOT NULL)`);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS head (singleton INTEGER PRIMARY KEY, state TEXT NOT NULL)",
    );
    const head = ctx.storage.sql.exec("SELECT state FROM head").toArray()[0];
    this.product = head ? JSON.parse(head.state) : undefined;
  }

  async create(fields) {
    if (this.product) return { conflict: true };
    const now = new Date().toISOString();
    const product = { ...fields, status: "active", version: 0, createdAt: now, updatedAt: now };
    return { view: await this.commit(product, "ProductCreated", fields, now) };
  }

  async adjust(delta) {
    if (!this.product) return { missing: true };
    const stock = this.product.stock + delta;
    if (stock < 0) return { conflict: true };
    const now = new Date().toISOString();
    const next = { ...this.product, stock, updatedAt: now };
    return {
      view: await this.commit(next, "StockAdjusted", { delta, reason: "bench", stock }, now),
    };
  }

  async commit(product, type, data, now) {
    const next = { ...product, version: product.version + 1 };
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec(
        "INSERT INTO events (version, type, data, occurred_at) VALUES (?, ?, ?, ?)",
        next.version,
        type,
        JSON.stringify(data),
        now,
      );
      this.ctx.storage.sql.exec(
        "INSERT INTO head (singleton, state) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET state = excluded.state",
        JSON.stringify(next),
      );
    });
    this.product = next;
    const db = this.env.DB;
    await db.batch([
      db.prepare(INSERT_EVENT).bind(next.id, next.version, type, JSON.stringify(data), now),
      db
        .prepare(UPSERT_PRODUCT)
        .bind(
          next.id,
          next.sku,
          next.name,
          next.description,
          next.price.amount,
          next.price.currency,
          next.stock,
          next.status,
          next.version,
          next.createdAt,
          next.updatedAt,
        ),
    ]);
    return toView({
      ...next,
      price_amount: next.price.amount,
      price_currency: next.price.currency,
      created_at: next.createdAt,
      updated_at: next.updatedAt,
    });
  }
}

/** A command's D1 batch alone: the event and the product row of write `n`. */
async function projectOnly(db, n) {
  const index = Number(n);
  const product = index % 1000;
  const now = new Date().toISOString();
  const data = JSON.stringify({ delta: -1, reason: "bench", stock: 1_000_000 - index });
  await db.batch([
    db.prepare(INSERT_EVENT).bind(`d1-writes-${product}`, index + 1, "StockAdjusted", data, now),
    db
      .prepare(UPSERT_PRODUCT)
      .bind(
        `d1-writes-${product}`,
        `D1-WRITES-${product}`,
        `Bench tea ${product}`,
        "A blend for benchmarks",
        500,
        "EUR",
        1_000_000 - index,
        "active",
        index + 1,
        now,
        now,
      ),
  ]);
  return new Response(null, { status: 204 });
}

const logOf = (env, id) => env.BARE_LOG.get(env.BARE_LOG.idFromName(`product:${id}`));

const answer = (outcome, status) => {
  if (outcome.missing) return new Response(null, { status: 404 });
  if (outcome.conflict) return new Response(null, { status: 409 });
  return withEtag(outcome.view, status);
};

export default {
  async fetch(request, env) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/health") return Response.json({ status: "ok" });
    const [, resource, id, action] = pathname.split("/");
    if (request.method === "POST" && resource === "d1-writes") return projectOnly(env.DB, id);
    if (resource !== "products" || !id) return new Response(null, { status: 404 });
    if (request.method === "GET" && !action) {
      const row = await env.DB.prepare(SELECT_PRODUCT).bind(id).first();
      return row ? withEtag(toView(row)) : new Response(null, { status: 404 });
    }
    if (request.method === "POST" && !action) {
      const fields = await request.json();
      return answer(await logOf(env, id).create({ ...fields, id }), 201);
    }
    if (request.method === "POST" && action === "stock") {
      const caller = await env.DB.prepare(SELECT_CALLER).bind(searchParams.get("caller")).first();
      if (!caller) return new Response(null, { status: 401 });
      const { delta } = await request.json();
      return answer(await logOf(env, id).adjust(delta), 200);
    }
    return new Response(null, { status: 404 });
  },
};
