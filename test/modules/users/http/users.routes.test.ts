import { describe, expect, it } from "vitest";
import {
  api,
  login,
  PASSWORD,
  problemOf,
  registerUser,
  signedInAdmin,
  signedUpMember,
  type UserBody,
  uniqueEmail,
} from "../../../support/api";

const UNKNOWN_ID = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";

describe("POST /api/users", () => {
  it("registers a customer: 201, Location, ETag and the user without any secret", async () => {
    const email = uniqueEmail("Ada");
    const response = await api("/api/users", {
      method: "POST",
      json: { email: `  ${email.toUpperCase()} `, name: "  Ada Lovelace ", password: PASSWORD },
    });
    expect(response.status).toBe(201);
    const text = await response.text();
    const user = JSON.parse(text) as UserBody;
    expect(Object.keys(user).sort()).toEqual(
      ["createdAt", "email", "id", "name", "role", "status", "updatedAt", "version"].sort(),
    );
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "Ada Lovelace",
      status: "active",
      role: "customer",
      version: 1,
    });
    expect(text).not.toMatch(/pbkdf2|password/i);
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
      json: { email: email.toUpperCase(), name: "Impostor", password: PASSWORD },
    });
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({ status: 409, code: "USER.EMAIL_TAKEN" });
  });

  it("lists every invalid field in one 400", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: "not-an-email", name: " ", password: "short" },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual([
      "json.email",
      "json.name",
      "json.password",
    ]);
  });

  it("accepts passwords of 12 to 128 characters only", async () => {
    const tooLong = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "Ada", password: "x".repeat(129) },
    });
    expect(tooLong.status).toBe(400);
    const tooShort = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "Ada", password: "x".repeat(11) },
    });
    expect(tooShort.status).toBe(400);
    await registerUser({ password: "x".repeat(12) });
    await registerUser({ password: "x".repeat(128) });
  });

  it.each([
    ["role", "admin"],
    ["status", "deactivated"],
    ["id", UNKNOWN_ID],
    ["version", 7],
  ])("rejects the client-set field %s instead of dropping or applying it", async (field, value) => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "Ada", password: PASSWORD, [field]: value },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.message).toContain(field);
  });

  it("rejects a missing field", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { name: "Ada", password: PASSWORD },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.field).toBe("json.email");
  });
});

describe("GET /api/users/:id and /api/users/me", () => {
  it("returns the user with its ETag", async () => {
    const { user, token } = await signedUpMember();
    const response = await api(`/api/users/${user.id}`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(await response.json()).toEqual(user);
  });

  it("returns the caller at /me", async () => {
    const { user, token } = await signedUpMember();
    const response = await api("/api/users/me", { token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(user);
  });

  it("answers 304 to a current If-None-Match, 200 to a stale one", async () => {
    const { user, token } = await signedUpMember();
    const path = `/api/users/${user.id}`;
    const fresh = await api(path, { token, headers: { "if-none-match": '"1"' } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe('"1"');
    expect(await fresh.text()).toBe("");
    const weak = await api(path, { token, headers: { "if-none-match": 'W/"1"' } });
    expect(weak.status).toBe(304);
    const stale = await api(path, { token, headers: { "if-none-match": '"7"' } });
    expect(stale.status).toBe(200);
  });

  it("accepts an upper-case id", async () => {
    const { user, token } = await signedUpMember();
    expect((await api(`/api/users/${user.id.toUpperCase()}`, { token })).status).toBe(200);
  });

  it("answers 404 for an unknown id and 400 for one that is not a UUID", async () => {
    const { token } = await signedInAdmin();
    const unknown = await api(`/api/users/${UNKNOWN_ID}`, { token });
    expect(unknown.status).toBe(404);
    expect(await problemOf(unknown)).toMatchObject({ code: "USER.NOT_FOUND" });
    const malformed = await api("/api/users/42", { token });
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).errors?.[0]?.field).toBe("param.id");
  });
});

describe("PUT and PATCH /api/users/:id", () => {
  it("replaces email and name with PUT and bumps the version", async () => {
    const { user, token } = await signedUpMember();
    const email = uniqueEmail("new");
    const response = await api(`/api/users/${user.id}`, {
      method: "PUT",
      token,
      headers: { "if-match": '"1"' },
      json: { email, name: "Ada King" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"3"');
    expect(await response.json()).toMatchObject({ email, name: "Ada King", version: 3 });
  });

  it("changes only the given fields with PATCH", async () => {
    const { user, token } = await signedUpMember();
    const response = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      json: { name: "Countess of Lovelace" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email: user.email,
      name: "Countess of Lovelace",
      version: 2,
    });
  });

  it("records no event and keeps the version for a change to the same values", async () => {
    const { user, token } = await signedUpMember();
    const response = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      json: { name: user.name, email: user.email.toUpperCase() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
  });

  it("answers 412 with the current version to a stale If-Match", async () => {
    const { user, token } = await signedUpMember();
    await api(`/api/users/${user.id}`, { method: "PATCH", token, json: { name: "Second" } });
    const response = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      headers: { "if-match": '"1"' },
      json: { name: "Third" },
    });
    expect(response.status).toBe(412);
    expect(await problemOf(response)).toMatchObject({ currentVersion: 2, expectedVersions: [1] });
  });

  it.each([
    ['W/"1"', 412],
    ['"7", "1"', 200],
    ['"01"', 412],
    ["*", 200],
    ["1", 400],
    ['"1', 400],
  ])("answers If-Match %s with %i on a user at version 1", async (ifMatch, status) => {
    const { user, token } = await signedUpMember();
    const response = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      headers: { "if-match": ifMatch },
      json: { name: "Conditional" },
    });
    expect(response.status).toBe(status);
  });

  it("lets one user take an email another user gave up, and not one still in use", async () => {
    const first = await signedUpMember();
    const second = await signedUpMember();
    const taken = await api(`/api/users/${second.user.id}`, {
      method: "PATCH",
      token: second.token,
      json: { email: first.user.email },
    });
    expect(taken.status).toBe(409);
    await api(`/api/users/${first.user.id}`, {
      method: "PATCH",
      token: first.token,
      json: { email: uniqueEmail("released") },
    });
    const reuse = await api(`/api/users/${second.user.id}`, {
      method: "PATCH",
      token: second.token,
      json: { email: first.user.email },
    });
    expect(reuse.status).toBe(200);
  });

  it("rejects unknown fields, a PUT missing a field, and unknown users", async () => {
    const { user, token } = await signedUpMember();
    const unknownField = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      json: { role: "admin" },
    });
    expect(unknownField.status).toBe(400);
    const partialPut = await api(`/api/users/${user.id}`, {
      method: "PUT",
      token,
      json: { name: "X" },
    });
    expect(partialPut.status).toBe(400);
    const admin = await signedInAdmin();
    const unknownUser = await api(`/api/users/${UNKNOWN_ID}`, {
      method: "PATCH",
      token: admin.token,
      json: { name: "Nobody" },
    });
    expect(unknownUser.status).toBe(404);
  });
});

describe("DELETE /api/users/:id", () => {
  it("deactivates, is idempotent, and a deactivated user refuses changes", async () => {
    const { user, token } = await signedUpMember();
    const admin = await signedInAdmin();
    const first = await api(`/api/users/${user.id}`, { method: "DELETE", token });
    expect(first.status).toBe(204);
    expect(first.headers.get("etag")).toBe('"2"');
    const again = await api(`/api/users/${user.id}`, { method: "DELETE", token: admin.token });
    expect(again.status).toBe(204);
    expect(again.headers.get("etag")).toBe('"2"');

    const read = await api(`/api/users/${user.id}`, { token: admin.token });
    expect(await read.json()).toMatchObject({ status: "deactivated", version: 2 });

    const change = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token: admin.token,
      json: { name: "Back" },
    });
    expect(change.status).toBe(409);
    expect(await problemOf(change)).toMatchObject({ code: "USER.DEACTIVATED" });
  });

  it("honours If-Match", async () => {
    const { user, token } = await signedUpMember();
    await api(`/api/users/${user.id}`, { method: "PATCH", token, json: { name: "Second" } });
    const stale = await api(`/api/users/${user.id}`, {
      method: "DELETE",
      token,
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const current = await api(`/api/users/${user.id}`, {
      method: "DELETE",
      token,
      headers: { "if-match": '"2"' },
    });
    expect(current.status).toBe(204);
  });

  it("answers 404 for an unknown user", async () => {
    const { token } = await signedInAdmin();
    const response = await api(`/api/users/${UNKNOWN_ID}`, { method: "DELETE", token });
    expect(response.status).toBe(404);
  });
});

describe("GET /api/users/:id/events", () => {
  it("lists the user's events in order, with no secret in any of them", async () => {
    const { user, token } = await signedUpMember();
    await api(`/api/users/${user.id}`, { method: "PATCH", token, json: { name: "Renamed" } });
    await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword: "another long passphrase" },
    });
    // The password change ended that token; the new password opens a new session.
    const fresh = await login(user.email, "another long passphrase");
    await api(`/api/users/${user.id}`, { method: "DELETE", token: fresh.accessToken });
    const admin = await signedInAdmin();
    const response = await api(`/api/users/${user.id}/events`, { token: admin.token });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/pbkdf2|passphrase|staple|hash|salt/i);
    const { items } = JSON.parse(text) as {
      items: { version: number; type: string; data: Record<string, unknown>; occurredAt: string }[];
    };
    expect(items.map((event) => [event.version, event.type])).toEqual([
      [1, "UserRegistered"],
      [2, "UserRenamed"],
      [3, "UserPasswordChanged"],
      [4, "UserDeactivated"],
    ]);
    expect(items[1]?.data).toEqual({ previousName: "Ada Lovelace", name: "Renamed" });
  });

  it("answers 404 for an unknown user", async () => {
    const { token } = await signedInAdmin();
    expect((await api(`/api/users/${UNKNOWN_ID}/events`, { token })).status).toBe(404);
  });
});
