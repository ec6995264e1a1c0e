// `npm run bench -- --capacity`: the two figures of docs/scaling.md that no other bench gives.
//
// - D1 writes per second per database: closed-loop clients send the bare Worker's
//   `POST /d1-writes/:n`, which writes one command's projection to D1 (the event and the product
//   row in one batch, as the API's projection does) and nothing else: no object, no auth. Every
//   write goes to one database, so this is the ceiling of one database, as local SQLite has it.
// - D1 bytes per order placed: orders placed, paid and shipped through the API, as customers do,
//   with the database's size and every table's row count read before and after.
import { performance } from "node:perf_hooks";
import { createAdmin } from "./admin.mjs";
import { json, post } from "./http.mjs";
import { runFor, summarize } from "./load.mjs";

/** Rounds of `seconds` of D1 writes from `clients` loops; each round's batches per second. */
export async function d1WriteRate({ bareUrl, clients, seconds, rounds }) {
  let next = 0;
  const write = () => post(`${bareUrl}/d1-writes/${next++}`, {});
  await runFor({ seconds: 1, clients, request: write });
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const run = summarize(await runFor({ seconds, clients, request: write }));
    if (run.failed.length > 0) throw new Error(`D1 writes failed: ${run.failed.join(", ")}`);
    results.push(run);
  }
  return results;
}

/** The app's tables, without SQLite's, D1's and the full-text index's own. */
async function rowCounts(d1) {
  const { results: tables } = await d1
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE 'products_fts%'`,
    )
    .all();
  const counts = new Map();
  for (const { name } of tables) {
    counts.set(name, (await d1.prepare(`SELECT count(*) AS n FROM "${name}"`).first()).n);
  }
  return counts;
}

const databaseSize = async (d1) => (await d1.prepare("SELECT 1").run()).meta.size_after;

/** The bytes of the values `domain_events` holds, without SQLite's page and index overhead. */
const eventPayload = async (d1) =>
  (
    await d1
      .prepare(
        `SELECT coalesce(sum(length(aggregate_type) + length(aggregate_id) + 8 + length(type)
           + length(data) + length(occurred_at) + coalesce(length(correlation_id), 0)
           + coalesce(length(causation_id), 0)), 0) AS bytes FROM domain_events`,
      )
      .first()
  ).bytes;

/** Each customer's own address: registrations, logins and placements are limited per address. */
const fromAddress = (index) => ({ "cf-connecting-ip": `10.20.${index >> 8}.${index & 255}` });

/**
 * `customers` customers each place `ordersEach` orders of `lines` lines through the API; an
 * admin pays and ships each (a customer's unpaid orders are capped, ADR 0026). Returns the
 * bytes the database grew by, and the rows each table gained, per order.
 */
export async function orderGrowth({ api, d1, customers, ordersEach, lines }) {
  const { headers: admin } = await createAdmin(api, "capacity-admin@example.com");
  const productIds = [];
  for (let line = 0; line < lines; line++) {
    const product = json(
      await post(
        `${api}/api/products`,
        {
          sku: `CAPACITY-${line}`,
          name: `Capacity tea ${line}`,
          description: "A blend that many customers order",
          price: { amount: 450 + line, currency: "EUR" },
          stock: 1_000_000,
        },
        admin,
      ),
      "creating a product",
    );
    productIds.push(product.id);
  }
  const items = productIds.map((productId) => ({ productId, quantity: 2 }));

  const sizeBefore = await databaseSize(d1);
  const payloadBefore = await eventPayload(d1);
  const rowsBefore = await rowCounts(d1);
  const started = performance.now();
  for (let customer = 0; customer < customers; customer++) {
    const address = fromAddress(customer);
    const email = `capacity-${customer}@example.com`;
    const password = "capacity customer password";
    json(
      await post(`${api}/api/users`, { email, name: `Customer ${customer}`, password }, address),
      "registering a customer",
    );
    const { accessToken } = json(
      await post(`${api}/api/auth/login`, { email, password }, address),
      "logging in a customer",
    );
    const headers = { ...address, authorization: `Bearer ${accessToken}` };
    for (let order = 0; order < ordersEach; order++) {
      const placed = await post(
        `${api}/api/orders`,
        { items },
        {
          ...headers,
          "idempotency-key": `capacity-${customer}-${order}`,
        },
      );
      const { id, version } = json(placed, "placing an order");
      json(
        await post(`${api}/api/orders/${id}/pay`, {}, { ...admin, "if-match": `"${version}"` }),
        "paying",
      );
      json(await post(`${api}/api/orders/${id}/ship`, {}, admin), "shipping");
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const orders = customers * ordersEach;
  const rowsAfter = await rowCounts(d1);
  const grown = [...rowsAfter]
    .map(([table, count]) => ({ table, rows: (count - (rowsBefore.get(table) ?? 0)) / orders }))
    .filter(({ rows }) => rows > 0);
  return {
    orders,
    lines,
    customers,
    seconds,
    bytesPerOrder: ((await databaseSize(d1)) - sizeBefore) / orders,
    eventPayloadPerOrder: ((await eventPayload(d1)) - payloadBefore) / orders,
    rowsPerOrder: grown,
  };
}

/** Prints both measurements. */
export function printCapacity({ writes, clients, seconds, growth }) {
  const rates = writes.map((run) => run.perSecond);
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  console.log(
    `\nD1 writes, one database: ${clients} clients, ${writes.length} rounds of ${seconds} s, ` +
      "each write one command's projection (2 statements in one batch)",
  );
  console.log(
    `  batches/s per round: ${rates.map((rate) => rate.toFixed(0)).join(", ")} ` +
      `(median ${median.toFixed(0)}, statements/s ${(median * 2).toFixed(0)})`,
  );
  console.log(
    `  latency p50 / p99 ms per round: ${writes.map((run) => `${run.p50.toFixed(1)} / ${run.p99.toFixed(1)}`).join(", ")}`,
  );
  console.log(
    `\nD1 growth per order placed, paid and shipped: ${growth.orders} orders of ${growth.lines} ` +
      `lines by ${growth.customers} customers (new customers included) in ${growth.seconds.toFixed(0)} s`,
  );
  console.log(
    `  bytes per order (database size after − before): ${growth.bytesPerOrder.toFixed(0)}`,
  );
  console.log(
    `  of which the values of its domain_events rows: ${growth.eventPayloadPerOrder.toFixed(0)} bytes`,
  );
  for (const { table, rows } of growth.rowsPerOrder) {
    console.log(`  ${table}: ${rows.toFixed(2)} rows per order`);
  }
}
