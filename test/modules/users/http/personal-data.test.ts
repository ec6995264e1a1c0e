import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../../../src/eventlog/event-store";
import { EventLog } from "../../../../src/index";
import {
  api,
  apiWith,
  login,
  PASSWORD,
  problemOf,
  registerUser,
  signedInAdmin,
  signedUpMember,
  type UserBody,
  uniqueEmail,
} from "../../../support/api";
import { executeIn, logOf, readLog, readOpenedLog } from "../../../support/event-logs";
import { confirmedOrder, orderOf } from "../../../support/orders";
import { createProduct } from "../../../support/products";
import { dbOf, OBJECTS_INSPECTABLE, SHAPE } from "../../../support/shape";
import { d1Dump, objectStorageDump, traces } from "../../../support/storage-dumps";

interface EventBody {
  version: number;
  type: string;
  data: Record<string, unknown>;
}
interface ExportBody {
  exportedAt: string;
  user: UserBody;
  sessions: { id: string; userAgent: string | null }[];
  orders: { id: string; customerId: string; total: unknown }[];
  events: EventBody[];
}

const erase = (id: string, token: string) =>
  api(`/api/users/${id}/erase`, { method: "POST", token });

/**
 * A member with a name and a rename in their log, so old values are in the history too. Each
 * member's names are their own, so one test's traces are never another's.
 */
async function memberWithHistory() {
  const tag = crypto.randomUUID().slice(0, 8);
  const names = { first: `Zebulon${tag} Quixotic${tag}`, renamed: `Ottoline${tag} March${tag}` };
  const email = uniqueEmail("person");
  const member = await signedUpMember({ email, name: names.first });
  const renamed = await api(`/api/users/${member.user.id}`, {
    method: "PATCH",
    token: member.token,
    json: { name: names.renamed },
  });
  expect(renamed.status).toBe(200);
  return { ...member, email, names, traces: traces(email, names.first, names.renamed) };
}

const expectNoTrace = (dump: string, person: { traces: string[] }) => {
  for (const trace of person.traces) expect(dump).not.toContain(trace);
};

describe("personal data in storage", () => {
  it("is never plain in the user's object, before and after erasure, nor in D1 after it", async () => {
    const person = await memberWithHistory();
    const { user, token } = person;
    if (OBJECTS_INSPECTABLE) {
      // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      // A repeat of a command id is answered from the stored outcome: it too must be sealed.
      expect((await readLog(logOf("user", user.id))).head?.version).toBe(2);
      expectNoTrace(await objectStorageDump(logOf("user", user.id)), person);
    }
    // D1's copy of the log is sealed too; only the read model holds the plain values.
    const { results } = await dbOf("users")
      .prepare("SELECT data FROM domain_events WHERE aggregate_id = ?")
      .bind(user.id)
      .all<{ data: string }>();
    expectNoTrace(JSON.stringify(results).toLowerCase(), person);

    expect((await erase(user.id, token)).status).toBe(204);

    if (OBJECTS_INSPECTABLE) expectNoTrace(await objectStorageDump(logOf("user", user.id)), person);
    const d1 = await d1Dump();
    expectNoTrace(d1, person);
    expect(d1).not.toContain(user.id.toLowerCase() + '","wrapped_key');
  });
});

// Inside the user's object (runInDurableObject): only the monolith's runner can look.
describe.skipIf(!OBJECTS_INSPECTABLE)("the user's snapshot", () => {
  it("is sealed as the events are, and a cold load opens it", async () => {
    const person = await memberWithHistory();
    const { id } = person.user;
    const tag = crypto.randomUUID().slice(0, 8);
    const names = Array.from({ length: 99 }, (_, index) => `Snapshot${tag} N${index}`);
    await Promise.all(
      names.map((name) => executeIn("user", id, { type: "ChangeUserDetails", name })),
    );
    const snapshot = await runInDurableObject(logOf("user", id), (_instance, state) =>
      new EventStore(state.storage).snapshot(),
    );
    expect(snapshot).toMatchObject({ version: 100, tag: "user/3" });

    const dump = await objectStorageDump(logOf("user", id));
    expectNoTrace(dump, person);
    expect(dump).not.toContain(`snapshot${tag}`);
    const cold = await runInDurableObject(logOf("user", id), (_instance, state) =>
      new EventLog(state, env).execute({
        aggregateType: "user",
        aggregateId: id,
        command: { type: "ChangeUserDetails" },
      }),
    );
    expect(cold).toMatchObject({
      ok: true,
      value: { version: 101, view: { email: person.email, name: names.at(-1) } },
    });
  });
});

describe("the email's blind index", () => {
  it("is what D1 claims and looks up, never the address", async () => {
    const person = await memberWithHistory();
    const { results: claims } = await dbOf("users")
      .prepare("SELECT value FROM unique_claims WHERE owner = ?")
      .bind(`user:${person.user.id}`)
      .all<{ value: string }>();
    const index = await dbOf("users")
      .prepare("SELECT email_index FROM users WHERE id = ?")
      .bind(person.user.id)
      .first<string>("email_index");
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(claims).toEqual([{ value: index }]);
    // Login finds the account through the index alone: with the plain column blanked, it works.
    await dbOf("users")
      .prepare("UPDATE users SET email = '' WHERE id = ?")
      .bind(person.user.id)
      .run();
    await login(person.email);
  });
});

describe("GET /api/users/{id}/export", () => {
  it("gives the owner everything: profile, sessions, orders and the opened events", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin.token);
    const { user, token, email, names } = await memberWithHistory();
    const order = await confirmedOrder(token, [{ productId: product.id, quantity: 2 }]);

    const response = await api(`/api/users/${user.id}/export`, { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ExportBody;
    expect(body.user).toMatchObject({ id: user.id, email, name: names.renamed });
    expect(body.sessions.length).toBeGreaterThan(0);
    expect(body.orders).toEqual([expect.objectContaining({ id: order.id, customerId: user.id })]);
    expect(body.events.map((event) => event.type)).toEqual(["UserRegistered", "UserRenamed"]);
    expect(body.events[0]?.data).toMatchObject({ email, name: names.first });
    expect(body.events[1]?.data).toMatchObject({
      previousName: names.first,
      name: names.renamed,
    });
  });

  it("gives an admin the same, and refuses another user (403)", async () => {
    const admin = await signedInAdmin();
    const { user, email } = await memberWithHistory();
    const other = await signedUpMember();

    const asAdmin = await api(`/api/users/${user.id}/export`, { token: admin.token });
    expect(asAdmin.status).toBe(200);
    expect(((await asAdmin.json()) as ExportBody).user.email).toBe(email);

    const asOther = await api(`/api/users/${user.id}/export`, { token: other.token });
    expect(asOther.status).toBe(403);
    expect(JSON.stringify(await problemOf(asOther))).not.toContain(email);
    expect((await api(`/api/users/${user.id}/export`)).status).toBe(401);
  });
});

describe("POST /api/users/{id}/erase", () => {
  it("erases the person: sessions end, the account is gone, the email is free again", async () => {
    const admin = await signedInAdmin();
    const { user, token, refreshToken, email } = await memberWithHistory();

    expect((await erase(user.id, token)).status).toBe(204);

    // The sessions end, and the old email no longer logs in.
    expect((await api("/api/users/me", { token })).status).toBe(401);
    const refreshed = await api("/api/auth/refresh", { method: "POST", json: { refreshToken } });
    expect(refreshed.status).toBe(401);
    const loggedIn = await api("/api/auth/login", {
      method: "POST",
      json: { email, password: PASSWORD },
    });
    expect(loggedIn.status).toBe(401);
    // Gone for everyone, and from the lists.
    expect((await api(`/api/users/${user.id}`, { token: admin.token })).status).toBe(404);
    const list = (await (await api("/api/users?limit=100", { token: admin.token })).json()) as {
      items: UserBody[];
    };
    expect(list.items.map((item) => item.id)).not.toContain(user.id);
    expect((await api(`/api/users/${user.id}/export`, { token: admin.token })).status).toBe(404);
    // The rows that held the person are gone.
    for (const [table, column] of [
      ["users", "id"],
      ["user_credentials", "user_id"],
      ["user_data_keys", "user_id"],
      ["refresh_tokens", "user_id"],
    ]) {
      const row = await dbOf("users")
        .prepare(`SELECT 1 FROM ${table} WHERE ${column} = ?`)
        .bind(user.id)
        .first();
      expect(row, table).toBeNull();
    }
    // The log keeps its history, and the erasure is an event with no personal data; each
    // sealed field now reads as erased.
    const events = await api(`/api/users/${user.id}/events`, { token: admin.token });
    expect(events.status).toBe(200);
    const { items } = (await events.json()) as { items: EventBody[] };
    expect(items.map((event) => event.type)).toEqual([
      "UserRegistered",
      "UserRenamed",
      "UserErased",
    ]);
    expect(items[0]?.data).toMatchObject({
      userId: user.id,
      email: null,
      name: null,
      emailIndex: null,
      role: "customer",
      personalDataErased: true,
    });
    expect(items[2]?.data).toEqual({});
    // The object's own copy of the key is gone too: nothing beside its log opens the events.
    if (OBJECTS_INSPECTABLE) {
      // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      const sealedBeside = await runInDurableObject(logOf("user", user.id), (_instance, state) =>
        new EventStore(state.storage).sealed(),
      );
      expect(sealedBeside).toEqual({});
      const opened = await readOpenedLog(logOf("user", user.id));
      expect(opened.events[0]?.data).toMatchObject({ email: null, personalDataErased: true });
    }
    // The address registers again, as a new account.
    const again = await registerUser({ email });
    expect(again.id).not.toBe(user.id);
    await login(email);
  });

  it("is idempotent: erasing again answers 204 and changes nothing", async () => {
    const admin = await signedInAdmin();
    const { user, token } = await memberWithHistory();
    expect((await erase(user.id, token)).status).toBe(204);
    // What changed is read inside the user's object: in the services shape, only the answers.
    const before = OBJECTS_INSPECTABLE ? await readLog(logOf("user", user.id)) : undefined;
    expect((await erase(user.id, admin.token)).status).toBe(204);
    if (OBJECTS_INSPECTABLE) expect(await readLog(logOf("user", user.id))).toEqual(before);
  });

  it("answers every later command on the erased user with 404", async () => {
    const admin = await signedInAdmin();
    const { user, token } = await memberWithHistory();
    expect((await erase(user.id, token)).status).toBe(204);
    const fresh = (await login(admin.user.email)).accessToken;
    const path = `/api/users/${user.id}`;
    for (const [method, suffix, json] of [
      ["PATCH", "", { name: "Back From The Dead" }],
      ["PUT", "", { name: "Back From The Dead", email: uniqueEmail() }],
      ["DELETE", "", undefined],
      ["PUT", "/role", { role: "admin" }],
      ["POST", "/password", { currentPassword: PASSWORD, newPassword: "another long password" }],
    ] as const) {
      const response = await api(`${path}${suffix}`, { method, token: fresh, json });
      expect(response.status, `${method} ${suffix}`).toBe(404);
    }
    if (OBJECTS_INSPECTABLE) {
      // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      expect((await readLog(logOf("user", user.id))).head?.version).toBe(3);
    }
  });

  it("keeps the person's orders, with their totals and nothing that names them", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin.token, { price: { amount: 1250, currency: "EUR" } });
    const person = await memberWithHistory();
    const { user, token } = person;
    const order = await confirmedOrder(token, [{ productId: product.id, quantity: 3 }]);

    expect((await erase(user.id, token)).status).toBe(204);

    const after = await orderOf(order.id, admin.token);
    expect(after).toMatchObject({
      id: order.id,
      customerId: user.id,
      total: { amount: 3750, currency: "EUR" },
      lines: [expect.objectContaining({ productId: product.id, quantity: 3 })],
    });
    expectNoTrace(JSON.stringify(after).toLowerCase(), person);
  });

  it("needs a recent login from the user, like deactivation, and refuses others (403)", async () => {
    const { user } = await memberWithHistory();
    const other = await signedUpMember();
    expect((await erase(user.id, other.token)).status).toBe(403);
    expect((await api(`/api/users/${user.id}`, { token: other.token })).status).toBe(403);
  });

  it("never lets a concurrent command write plain data after the key is gone", async () => {
    const person = await memberWithHistory();
    const { user, token, email } = person;
    const fresh = (await login(email)).accessToken;
    const renames = Array.from({ length: 6 }, (_, index) =>
      api(`/api/users/${user.id}`, {
        method: "PATCH",
        token: fresh,
        json: { name: `Concurrent Rename${index}` },
      }),
    );
    const [erased, ...others] = await Promise.all([erase(user.id, token), ...renames]);
    expect(erased.status).toBe(204);
    // Each rename ran before the erasure (200) or found the user gone (401 at the door, 404 in
    // the log); none after it stored anything.
    for (const response of others) expect([200, 401, 404]).toContain(response.status);

    if (OBJECTS_INSPECTABLE) {
      // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      const dump = await objectStorageDump(logOf("user", user.id));
      expectNoTrace(dump, person);
      expect(dump).not.toContain("concurrent");
      const { events } = await readLog(logOf("user", user.id));
      expect(events.at(-1)?.type).toBe("UserErased");
    }
    const d1 = await d1Dump();
    expectNoTrace(d1, person);
    expect(d1).not.toContain(`concurrent rename`);
  });
});

describe("rebuilding after erasure", () => {
  it("brings back the events, still sealed and read as erased, and never the person", async () => {
    const admin = await signedInAdmin();
    const person = await memberWithHistory();
    const { user, token } = person;
    expect((await erase(user.id, token)).status).toBe(204);
    // D1 lost everything of the user (a restore to an empty database, say).
    await dbOf("users")
      .prepare("DELETE FROM domain_events WHERE aggregate_id = ?")
      .bind(user.id)
      .run();

    const report = await logOf("user", user.id).reconcile();
    expect(report).toMatchObject({ upToDate: true, restoredEvents: 3 });

    expect((await api(`/api/users/${user.id}`, { token: admin.token })).status).toBe(404);
    const { items } = (await (
      await api(`/api/users/${user.id}/events`, { token: admin.token })
    ).json()) as { items: EventBody[] };
    expect(items).toHaveLength(3);
    expect(items[1]?.data).toMatchObject({
      previousName: null,
      name: null,
      personalDataErased: true,
    });
    expectNoTrace(await d1Dump(), person);
  });
});

// Runs the monolith's app with other keys (apiWith); the services' secrets are fixed for the run.
describe.skipIf(SHAPE === "services")("without a usable PII_MASTER_KEY", () => {
  const WRONG = "a-different-master-key-of-at-least-32-bytes-0123456789";

  it("fails readiness when it is missing, short or wrong", async () => {
    for (const PII_MASTER_KEY of [undefined, "short", WRONG]) {
      const response = await apiWith({ PII_MASTER_KEY }, "/health/ready");
      expect(response.status, String(PII_MASTER_KEY)).toBe(503);
      const problem = await problemOf(response);
      expect(problem.checks).toMatchObject({ piiMasterKey: { status: "fail" } });
    }
    expect((await api("/health/ready")).status).toBe(200);
  });

  it("answers 503 on the routes that need it, and never shows plain data", async () => {
    const admin = await signedInAdmin();
    const person = await memberWithHistory();
    const { user, token, email } = person;
    for (const PII_MASTER_KEY of [undefined, WRONG]) {
      const bindings = { PII_MASTER_KEY };
      const answers = [
        await apiWith(bindings, "/api/users", {
          method: "POST",
          json: { email: uniqueEmail(), name: "New Person", password: PASSWORD },
        }),
        await apiWith(bindings, "/api/auth/login", {
          method: "POST",
          json: { email, password: PASSWORD },
        }),
        await apiWith(bindings, `/api/users/${user.id}/events`, { token: admin.token }),
        await apiWith(bindings, `/api/users/${user.id}/export`, { token }),
        await apiWith(bindings, `/api/users/${user.id}`, {
          method: "PATCH",
          token,
          json: { name: "Not Stored" },
        }),
        await apiWith(bindings, `/api/users/${user.id}/erase`, { method: "POST", token }),
      ];
      for (const response of answers) {
        expect(response.status).toBe(503);
        const problem = await problemOf(response);
        expect(problem.code).toBe("PII.KEY_UNAVAILABLE");
        expectNoTrace(JSON.stringify(problem).toLowerCase(), person);
      }
    }
    // Nothing was changed: the user is as before, still readable with the right key.
    const shown = (await (await api(`/api/users/${user.id}`, { token })).json()) as UserBody;
    expect(shown).toMatchObject({ name: person.names.renamed, version: 2 });
  });
});
