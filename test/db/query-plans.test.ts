import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
  api,
  login,
  PASSWORD,
  setRoleAs,
  signedInAdmin,
  signedUpMember,
  uniqueEmail,
} from "../support/api";
import { queryPlan, type RecordedQuery, recordD1Queries } from "../support/d1-queries";
import { runEveryAlarm } from "../support/event-logs";
import { confirmedOrder, newKey, placeOrder } from "../support/orders";
import { createProduct } from "../support/products";

/**
 * The tables that grow with use. A full scan of one of them costs more with every user, product
 * and order, so no statement may plan one (issue 18). Small fixed tables (admin seats, the
 * maintenance cursors) may be scanned.
 */
const GROWING_TABLES = [
  "users",
  "user_credentials",
  "refresh_tokens",
  "products",
  "orders",
  "order_holds",
  "idempotency_keys",
  "domain_events",
  "unique_claims",
];

/** The rows a page of the tour's lists fetches: `limit=2`, and one more to tell a next page. */
const PAGE_FETCH = 3;

/** What reading a page may add beyond its rows: the full-text index's own segment rows. */
const INDEX_ROWS = 3;

/**
 * Catalogue lists filtered by price or currency, and searches sorted by a column, read every row
 * that matches before they sort and page (the seeded rows match them all), so they grow with the
 * matches: the scale bench measures them. A ranked search (no sort) must not.
 */
const FILTERED_BY_MATCHES =
  /"price_currency" = \?|"price_amount" >= \?|products_fts MATCH \?.* order by "products"\./;

const SCAN = /^SCAN (\w+)(?: AS \w+)?$/;

/** The growing table a plan step reads whole, if it does: `SCAN t` without an index. */
function fullScanOf(step: string): string | undefined {
  const table = SCAN.exec(step)?.[1];
  return table !== undefined && GROWING_TABLES.includes(table) ? table : undefined;
}

const page = async (path: string, token?: string) => {
  const response = await api(path, token === undefined ? {} : { token });
  expect(response.status).toBe(200);
  return (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
};

/** Every page of a list, so that the statements for a later page run too. */
async function everyPage(path: string, token?: string) {
  const separator = path.includes("?") ? "&" : "?";
  let next = await page(`${path}${separator}limit=2`, token);
  while (next.nextCursor !== null) {
    next = await page(`${path}${separator}limit=2&cursor=${next.nextCursor}`, token);
  }
}

let customerId = "";

/**
 * A thousand more rows in the lists, half before and half after anything the tour made in every
 * sort order (ids, dates, names, prices), so every cursor of the tour has 500 rows on each side.
 */
async function seedBothSides() {
  const numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)";
  const side = (early: string, late: string) =>
    `CASE WHEN i % 2 THEN '${early}' ELSE '${late}' END`;
  await env.DB.batch([
    env.DB.prepare(`${numbers}
      INSERT INTO products (id, sku, name, description, price_amount, price_currency, stock, status,
        version, created_at, updated_at)
      SELECT ${side("00000000", "ffffffff")} || printf('-%05d', i), 'SEED-' || i,
        ${side("Aaa", "Zzz")} || ' seed ' || i, 'A seeded tea', ${side("1", "9999999")}, 'EUR', 1, 'active', 1,
        ${side("2000", "2999")} || '-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z' FROM n`),
    env.DB.prepare(`${numbers}
      INSERT INTO users (id, email, name, status, role, version, created_at, updated_at)
      SELECT ${side("00000000", "ffffffff")} || printf('-%05d', i), 'seed' || i || '@example.com',
        'Seed', ${side("active", "deactivated")}, 'customer', 1, '2000-01-01T00:00:00.000Z',
        '2000-01-01T00:00:00.000Z' FROM n`),
    env.DB.prepare(`${numbers}
      INSERT INTO orders (id, customer_id, status, currency, total_amount, lines, payment_due_at,
        cancellation_reason, version, placed_at, updated_at)
      SELECT ${side("00000000", "ffffffff")} || printf('-%05d', i), ?, ${side("delivered", "cancelled")},
        'EUR', 1, '[]', NULL, NULL, 1, '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z' FROM n`).bind(
      customerId,
    ),
  ]);
}

const runCron = () =>
  worker.scheduled(createScheduledController(), env, createExecutionContext()) as Promise<void>;

/**
 * Every route and every scheduled job, with enough rows that the lists page: the statements they
 * prepare are what the repositories, the projections and the jobs issue.
 */
async function useEveryRoute() {
  const { user: admin, token: adminToken } = await signedInAdmin();
  const member = await signedUpMember();
  const { user, refreshToken } = member;
  customerId = user.id;
  let token = member.token;
  await signedUpMember();

  await api("/health/ready");
  await api("/api/users/me", { token });
  await api(`/api/users/${user.id}`, { token });
  await api(`/api/users/${user.id}`, { method: "PATCH", token, json: { name: "Ada King" } });
  const movedTo = uniqueEmail("moved");
  await api(`/api/users/${user.id}`, {
    method: "PUT",
    token,
    json: { email: movedTo, name: "Ada King" },
  });
  await api(`/api/users/${user.id}/password`, {
    method: "POST",
    token,
    json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase" },
  });
  const again = await login(movedTo, "a brand new passphrase");
  token = again.accessToken;
  await api("/api/auth/refresh", { method: "POST", json: { refreshToken: again.refreshToken } });
  await everyPage("/api/auth/sessions", token);
  await api("/api/auth/logout", { method: "POST", json: { refreshToken } });
  await everyPage("/api/users", adminToken);
  await everyPage("/api/users?status=active", adminToken);
  await everyPage(`/api/users/${user.id}/events`, adminToken);
  await setRoleAs(admin, user.id, "customer");

  const products = [];
  for (let index = 0; index < 5; index++) {
    products.push(await createProduct(adminToken, { name: `Tea ${index}`, stock: 50 }));
  }
  const [tea, other] = products as [(typeof products)[0], (typeof products)[0]];
  await api(`/api/products/${tea.id}`);
  await api(`/api/products/${tea.id}`, { token: adminToken });
  await api(`/api/products/${tea.id}`, {
    method: "PATCH",
    token: adminToken,
    json: { name: "Earl Grey Supreme" },
  });
  await api(`/api/products/${tea.id}/stock`, {
    method: "POST",
    token: adminToken,
    json: { delta: 5, reason: "delivery" },
  });
  await everyPage(`/api/products/${tea.id}/events`, adminToken);
  // Ranked: name matches first (the teas), then description matches (the default's "Black tea").
  await everyPage("/api/products?q=tea");
  for (const sort of ["createdAt", "-createdAt", "price", "-price", "name", "-name"]) {
    await everyPage(`/api/products?sort=${sort}`);
    await everyPage(`/api/products?sort=${sort}&q=tea`);
    await everyPage(`/api/products?sort=${sort}&currency=EUR&minPrice=1&maxPrice=100000`);
  }

  const key = newKey();
  const order = await confirmedOrder(token, [{ productId: tea.id, quantity: 1 }]);
  await placeOrder(token, [{ productId: other.id, quantity: 1 }], key);
  await placeOrder(token, [{ productId: other.id, quantity: 1 }], key);
  await api(`/api/orders/${order.id}`, { token });
  await api(`/api/orders/${order.id}/pay`, { method: "POST", token });
  await api(`/api/orders/${order.id}/ship`, { method: "POST", token: adminToken });
  await api(`/api/orders/${order.id}/deliver`, { method: "POST", token: adminToken });
  const cancelled = await confirmedOrder(token, [{ productId: other.id, quantity: 1 }]);
  await api(`/api/orders/${cancelled.id}/cancel`, { method: "POST", token });
  await everyPage(`/api/orders/${order.id}/events`, token);
  await everyPage("/api/orders", token);
  await everyPage("/api/orders?status=delivered", token);
  await everyPage(`/api/orders?customerId=${user.id}`, adminToken);
  await everyPage("/api/orders?status=cancelled", adminToken);

  await api(`/api/products/${other.id}`, { method: "DELETE", token: adminToken });
  await api(`/api/users/${user.id}`, { method: "DELETE", token: adminToken });

  await runCron();
  await runEveryAlarm();
}

describe("the query plan of every statement", () => {
  let recorded: RecordedQuery[] = [];

  beforeAll(async () => {
    const recorder = recordD1Queries();
    try {
      await useEveryRoute();
    } finally {
      recorder.stop();
    }
    recorded = recorder.queries();
  });

  it("touches every growing table, so the routes above are what the API runs", () => {
    const touched = GROWING_TABLES.filter((table) =>
      recorded.some(({ sql }) => new RegExp(`\\b"?${table}"?\\b`).test(sql)),
    );
    expect(touched).toEqual(GROWING_TABLES);
  });

  it("reads no growing table whole", async () => {
    const fullScans: string[] = [];
    for (const query of recorded) {
      const plan = await queryPlan(query);
      const scanned = plan.map(fullScanOf).filter((table) => table !== undefined);
      if (scanned.length > 0)
        fullScans.push(`${scanned.join(", ")}:\n  ${query.sql}\n  ${plan.join("\n  ")}`);
    }
    expect(fullScans).toEqual([]);
  });

  it("reads no more rows for a page when a thousand more rows surround it", async () => {
    const reads = recorded.filter(
      ({ sql }) => /^\s*select/i.test(sql) && !FILTERED_BY_MATCHES.test(sql),
    );
    const rowsRead = async (query: RecordedQuery) =>
      (
        await env.DB.prepare(query.sql)
          .bind(...query.params)
          .all()
      ).meta.rows_read;
    const before = await Promise.all(reads.map(rowsRead));
    await seedBothSides();
    const grown: string[] = [];
    for (const [index, query] of reads.entries()) {
      const after = await rowsRead(query);
      // A page that was the last one reads a whole page once rows follow it (limit + 1 fetched),
      // and a full-text query a few rows of its index's own tables beside them.
      if (after > Math.max(before[index] as number, PAGE_FETCH) + INDEX_ROWS) {
        grown.push(`${before[index]} → ${after} rows: ${query.sql}`);
      }
    }
    expect(reads.length).toBeGreaterThan(40);
    expect(grown).toEqual([]);
  });
});
