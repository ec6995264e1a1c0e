import { describe, expect, it } from "vitest";
import { api, problemOf, registerUser, type UserBody, uniqueEmail } from "../../../support/api";

describe("POST /api/users", () => {
  it("registers a user: 201, Location, ETag and the user", async () => {
    const email = uniqueEmail("Ada");
    const response = await api("/api/users", {
      method: "POST",
      json: { email: `  ${email.toUpperCase()} `, name: "  Ada Lovelace " },
    });
    expect(response.status).toBe(201);
    const user = (await response.json()) as UserBody;
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "Ada Lovelace",
      status: "active",
      version: 1,
    });
    expect(user.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(user.createdAt).toBe(user.updatedAt);
    expect(response.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(response.headers.get("etag")).toBe('"1"');
  });

  it("refuses an email already taken, in any letter case, with 409", async () => {
    const email = uniqueEmail();
    await registerUser({ email });
    const response = await api("/api/users", {
      method: "POST",
      json: { email: email.toUpperCase(), name: "Impostor" },
    });
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({ status: 409, code: "USER.EMAIL_TAKEN" });
  });

  it("lists every invalid field in one 400", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: "not-an-email", name: " " },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(["json.email", "json.name"]);
  });

  it("rejects unknown fields instead of dropping them", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "Ada", status: "deactivated" },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.message).toMatch(/status/);
  });

  it("rejects a missing field", async () => {
    const response = await api("/api/users", { method: "POST", json: { name: "Ada" } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.field).toBe("json.email");
  });
});

describe("GET /api/users/:id", () => {
  it("returns the user with its ETag", async () => {
    const created = await registerUser();
    const response = await api(`/api/users/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(await response.json()).toEqual(created);
  });

  it("answers 304 to a current If-None-Match, 200 to a stale one", async () => {
    const created = await registerUser();
    const fresh = await api(`/api/users/${created.id}`, { headers: { "if-none-match": '"1"' } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe('"1"');
    expect(await fresh.text()).toBe("");
    const weak = await api(`/api/users/${created.id}`, { headers: { "if-none-match": 'W/"1"' } });
    expect(weak.status).toBe(304);
    const stale = await api(`/api/users/${created.id}`, { headers: { "if-none-match": '"7"' } });
    expect(stale.status).toBe(200);
  });

  it("accepts an upper-case id", async () => {
    const created = await registerUser();
    expect((await api(`/api/users/${created.id.toUpperCase()}`)).status).toBe(200);
  });

  it("answers 404 for an unknown id and 400 for one that is not a UUID", async () => {
    const unknown = await api("/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70");
    expect(unknown.status).toBe(404);
    expect(await problemOf(unknown)).toMatchObject({ code: "USER.NOT_FOUND" });
    const malformed = await api("/api/users/42");
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).errors?.[0]?.field).toBe("param.id");
  });
});

describe("PUT and PATCH /api/users/:id", () => {
  it("replaces email and name with PUT and bumps the version", async () => {
    const created = await registerUser();
    const email = uniqueEmail("new");
    const response = await api(`/api/users/${created.id}`, {
      method: "PUT",
      headers: { "if-match": '"1"' },
      json: { email, name: "Ada King" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"3"');
    expect(await response.json()).toMatchObject({ email, name: "Ada King", version: 3 });
  });

  it("changes only the given fields with PATCH", async () => {
    const created = await registerUser();
    const response = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      json: { name: "Countess of Lovelace" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email: created.email,
      name: "Countess of Lovelace",
      version: 2,
    });
  });

  it("records no event and keeps the version for a change to the same values", async () => {
    const created = await registerUser();
    const response = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      json: { name: created.name, email: created.email.toUpperCase() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
  });

  it("answers 412 with the current version to a stale If-Match", async () => {
    const created = await registerUser();
    await api(`/api/users/${created.id}`, { method: "PATCH", json: { name: "Second" } });
    const response = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      headers: { "if-match": '"1"' },
      json: { name: "Third" },
    });
    expect(response.status).toBe(412);
    expect(await problemOf(response)).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
  });

  it("answers 400 to an If-Match that names no version", async () => {
    const created = await registerUser();
    const response = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      headers: { "if-match": 'W/"1"' },
      json: { name: "Weak" },
    });
    expect(response.status).toBe(400);
  });

  it("lets one user take an email another user gave up, and not one still in use", async () => {
    const first = await registerUser();
    const second = await registerUser();
    const taken = await api(`/api/users/${second.id}`, {
      method: "PATCH",
      json: { email: first.email },
    });
    expect(taken.status).toBe(409);
    const released = uniqueEmail("released");
    await api(`/api/users/${first.id}`, { method: "PATCH", json: { email: released } });
    const reuse = await api(`/api/users/${second.id}`, {
      method: "PATCH",
      json: { email: first.email },
    });
    expect(reuse.status).toBe(200);
  });

  it("rejects unknown fields, a PUT missing a field, and unknown users", async () => {
    const created = await registerUser();
    const unknownField = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      json: { role: "admin" },
    });
    expect(unknownField.status).toBe(400);
    const partialPut = await api(`/api/users/${created.id}`, {
      method: "PUT",
      json: { name: "X" },
    });
    expect(partialPut.status).toBe(400);
    const unknownUser = await api("/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f71", {
      method: "PATCH",
      json: { name: "Nobody" },
    });
    expect(unknownUser.status).toBe(404);
  });
});

describe("DELETE /api/users/:id", () => {
  it("deactivates, is idempotent, and a deactivated user refuses changes", async () => {
    const created = await registerUser();
    const first = await api(`/api/users/${created.id}`, { method: "DELETE" });
    expect(first.status).toBe(204);
    const again = await api(`/api/users/${created.id}`, { method: "DELETE" });
    expect(again.status).toBe(204);

    const user = (await (await api(`/api/users/${created.id}`)).json()) as UserBody;
    expect(user).toMatchObject({ status: "deactivated", version: 2 });

    const change = await api(`/api/users/${created.id}`, {
      method: "PATCH",
      json: { name: "Back" },
    });
    expect(change.status).toBe(409);
    expect(await problemOf(change)).toMatchObject({ code: "USER.DEACTIVATED" });
  });

  it("honours If-Match", async () => {
    const created = await registerUser();
    await api(`/api/users/${created.id}`, { method: "PATCH", json: { name: "Second" } });
    const stale = await api(`/api/users/${created.id}`, {
      method: "DELETE",
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const current = await api(`/api/users/${created.id}`, {
      method: "DELETE",
      headers: { "if-match": '"2"' },
    });
    expect(current.status).toBe(204);
  });

  it("answers 404 for an unknown user", async () => {
    const response = await api("/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72", {
      method: "DELETE",
    });
    expect(response.status).toBe(404);
  });
});

describe("GET /api/users/:id/events", () => {
  it("lists the user's events in order", async () => {
    const created = await registerUser();
    await api(`/api/users/${created.id}`, { method: "PATCH", json: { name: "Renamed" } });
    await api(`/api/users/${created.id}`, { method: "DELETE" });
    const response = await api(`/api/users/${created.id}/events`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as {
      items: { version: number; type: string; data: Record<string, unknown>; occurredAt: string }[];
    };
    expect(items.map((event) => [event.version, event.type])).toEqual([
      [1, "UserRegistered"],
      [2, "UserRenamed"],
      [3, "UserDeactivated"],
    ]);
    expect(items[1]?.data).toEqual({ previousName: "Ada Lovelace", name: "Renamed" });
  });

  it("answers 404 for an unknown user", async () => {
    expect((await api("/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f73/events")).status).toBe(404);
  });
});
