// `npm run bench -- --scale`: what a read costs as the data grows (issue 18, ADR 0033).
//
// The local D1 is seeded through its own SQL (one INSERT ... SELECT over a recursive counter per
// table, through Miniflare's D1 binding), not through the API: a million products through the
// API would take hours and measure the writes instead. At each size the same reads are timed
// through the deploy bundle in workerd, one request at a time, so a percentile is one request's
// latency, not a queue's. Each figure at the largest size is set against the smallest: the goal
// is at most 2×.
import { performance } from "node:perf_hooks";
import { createAdmin, signIn } from "./admin.mjs";
import { get, json, post } from "./http.mjs";

/** Per product: users, orders and `domain_events` rows, as a shop of that size might hold. */
const USERS_PER_PRODUCT = 0.5;
const ORDERS_PER_PRODUCT = 1;
const EVENTS_PER_PRODUCT = 3;

/** One product in ten has the common word in its name; the rare word is in ten products at any size. */
const COMMON_WORD = "oolong";
const RARE_WORD = "gyokuro";
const RARE_COUNT = 10;

/** The orders of the customer whose list is read: a customer's history, not the shop's. */
const CUSTOMER_ORDERS = 50;

/** A product's log read page by page: a busy product's history. */
const LOG_EVENTS = 500;

const SORTS = ["createdAt", "-createdAt", "price", "-price", "name", "-name"];

/** Seeded ids are UUID-shaped (the routes check the format) and ordered by their number. */
const seededId = (prefix, column = "i") => `printf('${prefix}-0000-7000-8000-%012x', ${column})`;
const seededUuid = (prefix, number) =>
  `${prefix}-0000-7000-8000-${number.toString(16).padStart(12, "0")}`;
const isoSeconds = (epochColumn) =>
  `strftime('%Y-%m-%dT%H:%M:%S', ${epochColumn}, 'unixepoch') || '.000Z'`;

const counter = (from, to) =>
  `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})`;

/** The tables `seedStatements` writes, in its order. */
const SEEDED_TABLES = ["products", "users", "orders", "domain_events"];

/**
 * Rows `from`..`to` of every table: products, users, their orders, and the events behind them;
 * with how many rows each statement adds.
 */
function seedStatements(d1, from, to) {
  const users = (count) => Math.floor(count * USERS_PER_PRODUCT);
  const ordersFrom = Math.floor((from - 1) * ORDERS_PER_PRODUCT) + 1;
  const ordersTo = Math.floor(to * ORDERS_PER_PRODUCT);
  const eventsFrom = Math.floor((from - 1) * EVENTS_PER_PRODUCT) + 1;
  const eventsTo = Math.floor(to * EVENTS_PER_PRODUCT);
  const rowCounts = [
    to - from + 1,
    users(to) - users(from - 1),
    ordersTo - ordersFrom + 1,
    eventsTo - eventsFrom + 1,
  ];
  const statements = [
    d1.prepare(`${counter(from, to)}
      INSERT INTO products (id, sku, name, description, price_amount, price_currency, stock,
        status, version, created_at, updated_at)
      SELECT ${seededId("00000001")}, 'SCALE-' || i,
        'Tea ' || i || CASE WHEN i % 10 = 0 THEN ' ${COMMON_WORD}' ELSE ' blend' END
          || CASE WHEN i <= ${RARE_COUNT} THEN ' ${RARE_WORD}' ELSE '' END,
        'A seeded tea, batch ' || (i % 97), 100 + (i * 7919) % 100000, 'EUR', 100,
        CASE WHEN i % 100 = 0 THEN 'archived' ELSE 'active' END, 1,
        ${isoSeconds("1600000000 + i * 7")}, ${isoSeconds("1600000000 + i * 7")}
      FROM n`),
    d1.prepare(`${counter(users(from - 1) + 1, users(to))}
      INSERT INTO users (id, email, name, status, role, version, created_at, updated_at)
      SELECT ${seededId("00000002")}, 'scale' || i || '@example.com', 'Customer ' || i,
        CASE WHEN i % 50 = 0 THEN 'deactivated' ELSE 'active' END, 'customer', 1,
        ${isoSeconds("1600000000 + i * 11")}, ${isoSeconds("1600000000 + i * 11")}
      FROM n`),
    d1.prepare(`${counter(ordersFrom, ordersTo)}
      INSERT INTO orders (id, customer_id, status, currency, total_amount, lines, payment_due_at,
        cancellation_reason, version, placed_at, updated_at)
      SELECT ${seededId("00000003")}, printf('00000002-0000-7000-8000-%012x', 1 + i % ${Math.max(1, users(to))}),
        CASE WHEN i % 3 = 0 THEN 'delivered' WHEN i % 3 = 1 THEN 'paid' ELSE 'cancelled' END,
        'EUR', 899, '[]', NULL, NULL, 3,
        ${isoSeconds("1600000000 + i * 5")}, ${isoSeconds("1600000000 + i * 5")}
      FROM n`),
    d1.prepare(`${counter(eventsFrom, eventsTo)}
      INSERT INTO domain_events (aggregate_type, aggregate_id, version, type, data, occurred_at)
      SELECT 'product', ${seededId("00000001", `1 + (i - 1) / ${EVENTS_PER_PRODUCT}`)},
        1 + (i - 1) % ${EVENTS_PER_PRODUCT}, 'StockAdjusted', '{"delta":1,"reason":"seed"}',
        ${isoSeconds("1600000000 + i")}
      FROM n`),
  ];
  return { statements, rowCounts };
}

/** The opaque cursor the API hands out: base64url JSON of the sort's tag and the row's keys. */
const cursorOf = (values) => Buffer.from(JSON.stringify(values)).toString("base64url");

const SORT_COLUMNS = { createdAt: "created_at", price: "price_amount", name: "name" };

/** A cursor half way down the active catalogue under `sort`: a page no one reaches cheaply. */
async function middleCursor(d1, sort, activeCount) {
  const descending = sort.startsWith("-");
  const column = SORT_COLUMNS[sort.replace(/^-/, "")];
  const direction = descending ? "DESC" : "ASC";
  const row = await d1
    .prepare(
      `SELECT ${column} AS value, id FROM products WHERE status = 'active'
       ORDER BY ${column} ${direction}, id ${direction} LIMIT 1 OFFSET ?`,
    )
    .bind(Math.floor(activeCount / 2))
    .first();
  return cursorOf([sort, row.value, row.id]);
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** `samples` requests one after another; p50 and p99 of their latencies, in ms. */
async function timeReads(samples, request) {
  const latencies = [];
  for (let index = 0; index < samples; index++) {
    const started = performance.now();
    const response = await request(index);
    latencies.push(performance.now() - started);
    if (!response.ok) throw new Error(`A timed read failed: ${response.status} ${response.text()}`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * Searches are rate limited per client address: each timed search comes from its own, as the
 * many shoppers behind a busy catalogue would.
 */
const fromClient = (index) => ({
  "cf-connecting-ip": `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
});

/** The reads issue 18 names, each a function of the request's index. */
async function readsAt(context, size) {
  const { api, d1, admin, customer, logProduct } = context;
  const active = (
    await d1.prepare("SELECT count(*) AS n FROM products WHERE status = 'active'").first()
  ).n;
  const reads = [
    [
      "product by id",
      // Spread over the catalogue, skipping the archived (every hundredth), which answer 404.
      (index) => {
        const number = ((index * 7919) % size) + 1;
        return get(
          `${api}/api/products/${seededUuid("00000001", number % 100 ? number : number + 1)}`,
        );
      },
    ],
  ];
  for (const sort of SORTS) {
    const cursor = await middleCursor(d1, sort, active);
    reads.push([`list, first page, sort=${sort}`, () => get(`${api}/api/products?sort=${sort}`)]);
    reads.push([
      `list, middle page, sort=${sort}`,
      () => get(`${api}/api/products?sort=${sort}&cursor=${cursor}`),
    ]);
  }
  reads.push(
    [
      `search, common word (${COMMON_WORD})`,
      (index) => get(`${api}/api/products?q=${COMMON_WORD}`, fromClient(index)),
    ],
    [
      `search, rare word (${RARE_WORD})`,
      (index) => get(`${api}/api/products?q=${RARE_WORD}`, fromClient(index)),
    ],
    ["a customer's orders", () => get(`${api}/api/orders`, customer)],
    ["users, first page (admin)", () => get(`${api}/api/users`, admin)],
    [
      "a product's events, first page",
      () => get(`${api}/api/products/${logProduct}/events`, admin),
    ],
  );
  return reads;
}

/**
 * Seeds up to each size in turn and times every read there; returns one row per read with its
 * p50 and p99 at each size.
 */
export async function scaleBench({ runtime, sizes, samples, log }) {
  const { api } = runtime.urls;
  const { d1 } = runtime;
  const { headers: firstAdmin } = await createAdmin(api, "scale-admin@example.com");
  const customerEmail = "scale-customer@example.com";
  const customerPassword = "scale customer password";
  const customerUser = json(
    await post(`${api}/api/users`, {
      email: customerEmail,
      name: "Scale customer",
      password: customerPassword,
    }),
    "registering the customer",
  );
  await d1
    .prepare(`${counter(1, CUSTOMER_ORDERS)}
      INSERT INTO orders (id, customer_id, status, currency, total_amount, lines, payment_due_at,
        cancellation_reason, version, placed_at, updated_at)
      SELECT ${seededId("00000004")}, ?, 'delivered', 'EUR', 899, '[]', NULL, NULL, 3,
        ${isoSeconds("1700000000 + i")}, ${isoSeconds("1700000000 + i")}
      FROM n`)
    .bind(customerUser.id)
    .run();
  // A real product with a real log, built through the API: its events are read page by page.
  const { id: logProduct } = json(
    await post(
      `${api}/api/products`,
      {
        sku: "SCALE-LOG",
        name: "Logged tea",
        description: "A product with a long history",
        price: { amount: 500, currency: "EUR" },
        stock: 1_000_000,
      },
      firstAdmin,
    ),
    "creating the logged product",
  );
  for (let index = 1; index < LOG_EVENTS; index++) {
    json(
      await post(
        `${api}/api/products/${logProduct}/stock`,
        { delta: -1, reason: "scale" },
        firstAdmin,
      ),
      "adjusting the logged product",
    );
  }

  const rows = new Map();
  /** What each table's seeded rows take in the database file, indexes and search index included. */
  const storage = new Map();
  let seeded = 0;
  for (const size of sizes) {
    const started = performance.now();
    // In slices, so that no single statement holds D1 for minutes.
    for (let from = seeded + 1; from <= size; from += 100_000) {
      const to = Math.min(size, from + 99_999);
      let sizeBefore = (await d1.prepare("SELECT 1").run()).meta.size_after;
      const { statements, rowCounts } = seedStatements(d1, from, to);
      const results = await d1.batch(statements);
      for (const [index, result] of results.entries()) {
        const table = SEEDED_TABLES[index];
        const grown = storage.get(table) ?? { rows: 0, bytes: 0 };
        storage.set(table, {
          rows: grown.rows + rowCounts[index],
          bytes: grown.bytes + result.meta.size_after - sizeBefore,
        });
        sizeBefore = result.meta.size_after;
      }
    }
    seeded = size;
    await d1.prepare("PRAGMA optimize").run();
    log(
      `seeded ${size.toLocaleString("en-US")} products in ${((performance.now() - started) / 1000).toFixed(0)} s; timing… `,
    );
    const context = {
      api,
      d1,
      // Logged in again at each size: seeding a million rows outlasts an access token.
      admin: (await signIn(api, "scale-admin@example.com")).headers,
      customer: (await signIn(api, customerEmail, customerPassword)).headers,
      logProduct,
    };
    for (const [label, request] of await readsAt(context, size)) {
      // A few unmeasured requests first: the first of a kind builds what later ones reuse.
      await timeReads(5, request);
      const figures = await timeReads(samples, request);
      rows.set(label, [...(rows.get(label) ?? []), { size, ...figures }]);
    }
  }
  return {
    reads: [...rows].map(([label, figures]) => ({ label, figures })),
    storage: [...storage].map(([table, { rows: count, bytes }]) => ({ table, rows: count, bytes })),
  };
}

/** Prints the table: p50 and p99 per size, and the largest size against the smallest. */
export function printScale({ reads: results, storage }, sizes) {
  const sizeLabel = (size) => (size >= 1_000_000 ? `${size / 1_000_000} M` : `${size / 1000} k`);
  const header = sizes.map((size) => `${sizeLabel(size)} p50 / p99 ms`).join(" | ");
  console.log(
    `\n| read | ${header} | p50 ×, p99 × (${sizeLabel(sizes.at(-1))} / ${sizeLabel(sizes[0])}) |`,
  );
  console.log(`| --- | ${sizes.map(() => "---:").join(" | ")} | --- |`);
  let allMet = true;
  for (const { label, figures } of results) {
    const first = figures[0];
    const last = figures.at(-1);
    const p50Ratio = last.p50 / first.p50;
    const p99Ratio = last.p99 / first.p99;
    const met = p50Ratio <= 2 && p99Ratio <= 2;
    allMet &&= met;
    const cells = figures.map((f) => `${f.p50.toFixed(1)} / ${f.p99.toFixed(1)}`).join(" | ");
    console.log(
      `| ${label} | ${cells} | ${p50Ratio.toFixed(2)}, ${p99Ratio.toFixed(2)} ${met ? "" : "**NOT MET**"} |`,
    );
  }
  console.log("\n| table | rows seeded | bytes per row (indexes included) |");
  console.log("| --- | ---: | ---: |");
  for (const { table, rows, bytes } of storage) {
    console.log(`| ${table} | ${rows.toLocaleString("en-US")} | ${Math.round(bytes / rows)} |`);
  }
  console.log(
    `\nTarget (issue 18): every figure at ${sizeLabel(sizes.at(-1))} within 2× of ${sizeLabel(sizes[0])}: ${allMet ? "met" : "NOT MET"}`,
  );
}
