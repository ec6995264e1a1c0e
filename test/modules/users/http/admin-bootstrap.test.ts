import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  api,
  apiWith,
  PASSWORD,
  problemOf,
  registerUser,
  signedUpMember,
  type UserBody,
} from "../../../support/api";
import { roomInRateWindow } from "../../../support/rate-limits";

const TOKEN = env.ADMIN_BOOTSTRAP_TOKEN as string;

const bootstrap = (email: string, init: { token?: string | null; ip?: string } = {}) =>
  api("/api/admin/bootstrap", {
    method: "POST",
    ...(init.ip === undefined ? {} : { ip: init.ip }),
    headers: init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` },
    json: { email },
  });

describe("POST /api/admin/bootstrap", () => {
  it("makes an existing, active user an admin: 200 with the user, and it takes effect", async () => {
    const { user, token } = await signedUpMember();
    expect((await api("/api/users", { token })).status).toBe(403);

    const response = await bootstrap(`  ${user.email.toUpperCase()} `);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(await response.json()).toMatchObject({ id: user.id, role: "admin", version: 2 });
    expect((await api("/api/users", { token })).status).toBe(200);

    const again = await bootstrap(user.email);
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe('"2"');
  });

  it("records the promotion as an event that says it came from the bootstrap", async () => {
    const { user, token } = await signedUpMember();
    await bootstrap(user.email);
    const events = (await (await api(`/api/users/${user.id}/events`, { token })).json()) as {
      items: { type: string; data: unknown }[];
    };
    expect(events.items.at(-1)).toMatchObject({
      type: "UserRoleChanged",
      data: { previousRole: "customer", role: "admin", source: "bootstrap" },
    });
  });

  it("answers a missing, malformed or wrong token with 401 and changes nothing", async () => {
    const { user, token } = await signedUpMember();
    for (const offered of [null, "", `${TOKEN}x`, TOKEN.slice(0, -1), "Basic abc"]) {
      const response =
        offered === "Basic abc"
          ? await api("/api/admin/bootstrap", {
              method: "POST",
              headers: { authorization: offered },
              json: { email: user.email },
            })
          : await bootstrap(user.email, { token: offered });
      expect(response.status, String(offered)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await problemOf(response)).toMatchObject({ code: "AUTH.INVALID_BOOTSTRAP_TOKEN" });
    }
    const me = (await (await api("/api/users/me", { token })).json()) as UserBody;
    expect(me).toMatchObject({ role: "customer", version: 1 });
  });

  it("answers 404 for an unknown email, 409 for a deactivated user, 400 for a bad body", async () => {
    expect((await bootstrap("nobody-here@example.com")).status).toBe(404);
    const { user, token } = await signedUpMember();
    await api(`/api/users/${user.id}`, { method: "DELETE", token });
    const deactivated = await bootstrap(user.email);
    expect(deactivated.status).toBe(409);
    expect(await problemOf(deactivated)).toMatchObject({ code: "USER.DEACTIVATED" });
    expect((await bootstrap("not an email")).status).toBe(400);
    const extra = await api("/api/admin/bootstrap", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      json: { email: user.email, role: "admin" },
    });
    expect(extra.status).toBe(400);
  });

  it("does not exist when ADMIN_BOOTSTRAP_TOKEN is not set: 404 as any unknown path", async () => {
    const user = await registerUser();
    const response = await apiWith({ ADMIN_BOOTSTRAP_TOKEN: undefined }, "/api/admin/bootstrap", {
      method: "POST",
      token: TOKEN,
      json: { email: user.email },
    });
    expect(response.status).toBe(404);
    const { requestId: _a, instance: _b, ...problem } = await problemOf(response);
    const unknown = await api("/api/admin/nothing-here");
    const { requestId: _c, instance: _d, ...unknownProblem } = await problemOf(unknown);
    expect({ ...problem, detail: undefined }).toEqual({ ...unknownProblem, detail: undefined });
  });

  it("refuses to run with a secret shorter than 32 bytes: 500 naming it", async () => {
    const user = await registerUser();
    const weak = "short-bootstrap-token";
    const response = await apiWith({ ADMIN_BOOTSTRAP_TOKEN: weak }, "/api/admin/bootstrap", {
      method: "POST",
      token: weak,
      json: { email: user.email },
    });
    expect(response.status).toBe(500);
    expect(await problemOf(response)).toMatchObject({
      code: "AUTH.MISCONFIGURED",
      detail: expect.stringContaining("ADMIN_BOOTSTRAP_TOKEN"),
    });
  });

  describe("rate limit", () => {
    beforeEach(() => roomInRateWindow(), 70_000);

    it("limits attempts to 5 a minute per address, right token or not", async () => {
      const { user } = await signedUpMember();
      const ip = "203.0.113.50";
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        statuses.push(
          (await bootstrap(user.email, { ip, token: `wrong-guess-${attempt}` })).status,
        );
      }
      statuses.push((await bootstrap(user.email, { ip })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await bootstrap(user.email, { ip: "203.0.113.51" })).status).toBe(200);
    });
  });
});

describe("registration", () => {
  it("makes no one an admin, whatever the address", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: ADMIN_EMAIL, name: "First come", password: PASSWORD },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ role: "customer" });
  });
});
