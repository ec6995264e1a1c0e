// The README's tour, through the typed client. Start the API, then run the tour:
//
//   npm run dev
//   npm run tour                      # or API_URL=http://localhost:9000 npm run tour
//
// The admin steps promote an account through POST /api/admin/bootstrap, with the
// ADMIN_BOOTSTRAP_TOKEN from the environment or, for a local API, from .dev.vars.
//
// Every step checks the answer the README promises, so a broken step stops the tour.
import { existsSync, readFileSync } from "node:fs";
import { type ApiClient, ApiProblem, createApiClient, unwrap } from "@edge-commerce/client";
import { bootstrapTokenFor } from "../scripts/lib/admin-promote.mjs";
import { isMain } from "../scripts/lib/is-main.mjs";

export interface TourOptions {
  /** Where the API is; `npm run dev` serves http://localhost:8787. */
  readonly baseUrl: string;
  /** The address of the tour's admin, promoted through `POST /api/admin/bootstrap`. */
  readonly adminEmail?: string;
  /** The server's ADMIN_BOOTSTRAP_TOKEN. */
  readonly bootstrapToken: string;
  readonly log?: (line: string) => void;
}

const PASSWORD = "correct horse battery";
const ADMIN_PASSWORD = "operations passphrase 1";

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Tour step failed: ${what}`);
}

/** The problem an API call answers with; fails the tour when the call succeeds. */
async function problemOf(call: Promise<unknown>): Promise<ApiProblem> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
  throw new Error("Tour step failed: expected a problem document, got a success");
}

/**
 * A client logged in as an admin: the account is registered (or exists), promoted through
 * `POST /api/admin/bootstrap` with the operator's token, as `npm run admin:promote` does (the
 * bootstrap makes only the first admin), and logged in.
 */
async function adminSession(baseUrl: string, email: string, token: string): Promise<ApiClient> {
  const admin = createApiClient({ baseUrl });
  const body = { email, name: "Ops", password: ADMIN_PASSWORD };
  const { response } = await admin.POST("/api/users", { body });
  check(response.status === 201 || response.status === 409, "register the admin (or it exists)");
  const promoted = await admin.POST("/api/admin/bootstrap", {
    body: { email },
    headers: { authorization: `Bearer ${token}` },
  });
  // 404 once any admin exists: a tour run before against the same D1 made this one, as the
  // role check below confirms.
  check(
    promoted.response.status === 200 || promoted.response.status === 404,
    "promote the admin with ADMIN_BOOTSTRAP_TOKEN: 200 (404 when an admin exists)",
  );
  await admin.login({ email, password: ADMIN_PASSWORD });
  const me = await unwrap(admin.GET("/api/users/me"));
  check(
    me.role === "admin",
    `${email} is an admin (the bootstrap makes only the first admin: give the tour its email)`,
  );
  return admin;
}

export async function runTour({
  baseUrl,
  adminEmail = "ops@example.com",
  bootstrapToken,
  log = console.log,
}: TourOptions): Promise<void> {
  const api = createApiClient({ baseUrl });
  const email = `ada.${Date.now().toString(36)}@example.com`;

  // Register (public, rate limited): 201, Location, ETag "1".
  const registered = await api.POST("/api/users", {
    body: { email, name: "Ada Lovelace", password: PASSWORD },
  });
  const ada = registered.data;
  check(registered.response.status === 201 && ada !== undefined, "register: 201");
  check(registered.response.headers.get("etag") === '"1"', 'register: ETag "1"');
  log(`registered ${ada?.email} (${registered.response.headers.get("location")})`);
  const id = ada?.id ?? "";

  // Log in: the client keeps the tokens and sends the access token from now on.
  await api.login({ email, password: PASSWORD });
  const me = await api.GET("/api/users/me");
  check(me.response.headers.get("etag") === '"1"', 'me: ETag "1"');
  const cached = await api.GET("/api/users/{id}", {
    params: { path: { id }, header: { "if-none-match": '"1"' } },
  });
  check(cached.response.status === 304, "If-None-Match: 304");
  log("read my user, then 304 Not Modified for the version I have");

  // Optimistic concurrency: If-Match names the version read.
  const renamed = await api.PATCH("/api/users/{id}", {
    params: { path: { id }, header: { "if-match": '"1"' } },
    body: { name: "Ada King" },
  });
  check(renamed.response.headers.get("etag") === '"2"', 'PATCH: ETag "2"');
  // Read your own writes from any D1 replica: each answer carries the latest D1 bookmark the API
  // knows (x-d1-bookmark); the client keeps the newest and sends it on every request, so a
  // replica answers this read only once it holds the rename (version 2 or later).
  const bookmark = api.session.d1Bookmark;
  check(
    bookmark !== undefined && bookmark === renamed.response.headers.get("x-d1-bookmark"),
    "the client keeps the rename's D1 bookmark",
  );
  const afterRename = await api.GET("/api/users/{id}", { params: { path: { id } } });
  check(
    Number(JSON.parse(afterRename.response.headers.get("etag") ?? "0")) >= 2 &&
      (afterRename.response.headers.get("x-d1-bookmark") ?? "") >= (bookmark ?? ""),
    "a read sending the bookmark sees version 2 or later",
  );
  log(`the next read sent the rename's D1 bookmark ${bookmark}: it saw version 2`);
  const stale = await problemOf(
    unwrap(
      api.PATCH("/api/users/{id}", {
        params: { path: { id }, header: { "if-match": '"1"' } },
        body: { name: "Stale" },
      }),
    ),
  );
  check(stale.status === 412, "stale If-Match: 412");
  await unwrap(
    api.PUT("/api/users/{id}", { params: { path: { id } }, body: { email, name: "Ada King" } }),
  );
  const events = await unwrap(api.GET("/api/users/{id}/events", { params: { path: { id } } }));
  log(
    `renamed, refused a stale write (412); my log: ${events.items.map((e) => e.type).join(", ")}`,
  );

  // A password change ends every session: the client's refresh is refused, so log in again.
  await unwrap(
    api.POST("/api/users/{id}/password", {
      params: { path: { id } },
      body: { currentPassword: PASSWORD, newPassword: "a new long passphrase" },
    }),
  );
  const ended = await api.GET("/api/users/me");
  check(ended.response.status === 401, "old session ended by the password change");
  await api.login({ email, password: "a new long passphrase" });
  log("changed my password: the old session ended; logged in again");

  // Admins list users and set roles.
  const admin = await adminSession(baseUrl, adminEmail, bootstrapToken);
  const page = await unwrap(
    admin.GET("/api/users", { params: { query: { limit: 2, status: "active" } } }),
  );
  check(page.items.length > 0, "admin lists users");
  const forbidden = await problemOf(unwrap(api.GET("/api/users")));
  check(forbidden.status === 403, "a customer cannot list users: 403");
  log(`admin listed ${page.items.length} users (next cursor: ${page.nextCursor ?? "none"})`);

  // Products: admins write, everyone reads.
  const sku = `tea-${Date.now().toString(36)}`;
  const created = await admin.POST("/api/products", {
    body: {
      sku,
      name: "Earl Grey",
      description: "Black tea with bergamot",
      price: { amount: 899, currency: "EUR" },
      stock: 20,
    },
  });
  const product = created.data;
  check(created.response.status === 201 && product?.sku === sku.toUpperCase(), "create: 201");
  const pid = product?.id ?? "";
  const found = await unwrap(api.GET("/api/products", { params: { query: { q: "bergamot" } } }));
  check(
    found.items.some((item) => item.id === pid),
    "full-text search finds it",
  );
  await unwrap(
    admin.PATCH("/api/products/{id}", {
      params: { path: { id: pid }, header: { "if-match": '"1"' } },
      body: { price: { amount: 999, currency: "EUR" } },
    }),
  );
  const oversold = await problemOf(
    unwrap(
      admin.POST("/api/products/{id}/stock", {
        params: { path: { id: pid } },
        body: { delta: -25, reason: "sold" },
      }),
    ),
  );
  check(oversold.status === 409 && oversold.problem.currentStock === 20, "no oversell: 409");
  log(`created ${product?.sku}, found it by "bergamot", repriced it, refused an oversell`);

  // Orders: every line's stock is reserved, or none. The client gives each new order an
  // Idempotency-Key; the same key and body again (a retry of a call whose answer was lost)
  // get the first answer again, not a second order.
  const items = [{ productId: pid, quantity: 2 }];
  const placed = await api.POST("/api/orders", { body: { items } });
  const order = placed.data;
  // The API answers 400 without a key: a 201 here means the client made one.
  check(placed.response.status === 201 && order?.status === "confirmed", "order: 201 confirmed");
  const oid = order?.id ?? "";
  const key = { "idempotency-key": `tour-${Date.now().toString(36)}` };
  const second = await unwrap(
    api.POST("/api/orders", { params: { header: key }, body: { items } }),
  );
  const again = await api.POST("/api/orders", { params: { header: key }, body: { items } });
  check(again.response.headers.get("idempotent-replayed") === "true", "same key: replayed");
  check(again.data?.id === second.id, "same key: the same order");
  const tooMany = await problemOf(
    unwrap(api.POST("/api/orders", { body: { items: [{ productId: pid, quantity: 9999 }] } })),
  );
  check(tooMany.status === 400, "quantity over 1000: 400");
  const mine = await unwrap(
    api.GET("/api/orders", { params: { query: { status: "confirmed", limit: 10 } } }),
  );
  check(
    mine.items.some((item) => item.id === oid),
    "my confirmed orders list it",
  );
  const orderEvents = await unwrap(
    api.GET("/api/orders/{id}/events", { params: { path: { id: oid } } }),
  );
  const version = placed.response.headers.get("etag") ?? "";
  await unwrap(
    admin.POST("/api/orders/{id}/pay", {
      params: { path: { id: oid }, header: { "if-match": version } },
    }),
  );
  await unwrap(admin.POST("/api/orders/{id}/ship", { params: { path: { id: oid } } }));
  const late = await problemOf(
    unwrap(api.POST("/api/orders/{id}/cancel", { params: { path: { id: oid } } })),
  );
  check(late.status === 409, "a shipped order cannot be cancelled: 409");
  await unwrap(api.POST("/api/orders/{id}/cancel", { params: { path: { id: second.id } } }));
  log(
    `ordered (${orderEvents.items.map((e) => e.type).join(", ")}), replayed a retry by its key, ` +
      "paid and shipped it, cancelled another",
  );
  await unwrap(admin.DELETE("/api/products/{id}", { params: { path: { id: pid } } }));
  log(`archived ${product?.sku}`);

  // Errors are RFC 9457 problem documents.
  const invalid = await problemOf(
    unwrap(api.POST("/api/users", { body: { email: "x", name: "", password: "short" } })),
  );
  check(invalid.status === 400 && (invalid.problem.errors?.length ?? 0) >= 3, "400, every field");
  const anonymous = createApiClient({ baseUrl });
  const unauthenticated = await problemOf(unwrap(anonymous.GET("/api/users/me")));
  check(unauthenticated.status === 401, "no token: 401");
  log(`problems: 400 naming ${invalid.problem.errors?.length} fields, 401 without a token`);

  // My data in one document (GDPR Art. 15 and 20): profile, sessions, orders and my log.
  const exported = await unwrap(api.GET("/api/users/{id}/export", { params: { path: { id } } }));
  check(exported.user.id === id && exported.user.email === email, "export: my profile");
  check(exported.orders.length >= 2 && exported.events.length >= 3, "export: orders and events");
  log(
    `exported my data: ${exported.sessions.length} session(s), ${exported.orders.length} orders, ` +
      `${exported.events.length} events`,
  );

  // Deactivate my account (idempotent); then an admin erases it (GDPR Art. 17): the account
  // is gone, my log reads as erased, my orders stay, and the email registers again.
  await unwrap(api.DELETE("/api/users/{id}", { params: { path: { id } } }));
  await unwrap(admin.POST("/api/users/{id}/erase", { params: { path: { id } } }));
  const gone = await problemOf(unwrap(admin.GET("/api/users/{id}", { params: { path: { id } } })));
  check(gone.status === 404, "erased: 404");
  const erased = await unwrap(admin.GET("/api/users/{id}/events", { params: { path: { id } } }));
  check(
    erased.items[0]?.data.email === null && erased.items.at(-1)?.type === "UserErased",
    "erased: the log keeps its events, with email and name null",
  );
  const kept = await unwrap(admin.GET("/api/orders/{id}", { params: { path: { id: oid } } }));
  check(kept.customerId === id && kept.total !== null, "erased: my order stays, with its total");
  const anew = await api.POST("/api/users", {
    body: { email, name: "Ada Again", password: PASSWORD },
  });
  check(anew.response.status === 201 && anew.data?.id !== id, "erased: the email is free again");

  // The health checks.
  const ready = await unwrap(api.GET("/health/ready"));
  const latencies = Object.entries(ready.checks).map(([name, c]) => `${name} ${c.durationMs} ms`);
  log(`deactivated and erased my account; ready: ${latencies.join(", ")}`);
}

if (isMain(import.meta.url)) {
  const baseUrl = process.env.API_URL ?? "http://localhost:8787";
  const devVars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : undefined;
  const bootstrapToken = bootstrapTokenFor(baseUrl, process.env, devVars);
  if (!bootstrapToken) {
    console.error("Set ADMIN_BOOTSTRAP_TOKEN (npm run dev writes one into .dev.vars).");
    process.exit(2);
  }
  await runTour({
    baseUrl,
    adminEmail: process.env.ADMIN_EMAIL ?? "ops@example.com",
    bootstrapToken,
  });
  console.log("Tour complete.");
}
