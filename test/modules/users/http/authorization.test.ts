import { env } from "cloudflare:workers";
import { decode, sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import devVarsExample from "../../../../.dev.vars.example?raw";
import {
  JWT_SECRET_PLACEHOLDER,
  WORKER_NAME,
} from "../../../../src/modules/users/infrastructure/jwt-config";
import {
  api,
  apiWith,
  login,
  PASSWORD,
  problemOf,
  signedInAdmin,
  signedUpMember,
  type UserBody,
} from "../../../support/api";
import { SHAPE } from "../../../support/shape";

const SECRET = env.JWT_SECRET as string;
const now = () => Math.floor(Date.now() / 1000);
/** The claims a login would issue, with the session's fingerprint, id and login from `token`. */
const claimsFor = (user: UserBody, token: string, ttl = 900) => ({
  sub: user.id,
  role: user.role,
  cfp: decode(token).payload.cfp,
  sid: decode(token).payload.sid,
  auth_time: decode(token).payload.auth_time,
  iss: WORKER_NAME,
  aud: WORKER_NAME,
  iat: now(),
  exp: now() + ttl,
  jti: crypto.randomUUID(),
});
const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function expect401(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="api"/);
  await problemOf(response);
}

describe("authentication (OWASP API2)", () => {
  it("refuses a request without a token, and only registration is public", async () => {
    const { user } = await signedUpMember();
    await expect401(await api("/api/users/me"));
    await expect401(await api(`/api/users/${user.id}`));
    await expect401(await api("/api/users"));
    await expect401(await api(`/api/users/${user.id}/events`));
    await expect401(await api(`/api/users/${user.id}`, { method: "DELETE" }));
  });

  it("refuses malformed, tampered, expired, alg:none and wrongly signed tokens", async () => {
    const { user, token } = await signedUpMember();
    const [header, payload, signature] = token.split(".");
    const tampered = `${header}.${base64url({ ...claimsFor(user, token), role: "admin" })}.${signature}`;
    const expired = await sign(
      { ...claimsFor(user, token), iat: now() - 1000, exp: now() - 100 },
      SECRET,
    );
    const algNone = `${base64url({ alg: "none", typ: "JWT" })}.${payload}.`;
    const wrongSecret = await sign(
      claimsFor(user, token),
      "another-secret-that-is-32-bytes-long!!",
    );
    const hs512 = await sign(claimsFor(user, token), SECRET, "HS512");

    for (const bad of [tampered, expired, algNone, wrongSecret, hs512, "not.a.jwt", "garbage"]) {
      await expect401(await api("/api/users/me", { token: bad }));
    }
    await expect401(await api("/api/users/me", { headers: { authorization: `Basic ${token}` } }));
    expect((await api("/api/users/me", { token })).status).toBe(200);
  });

  it("refuses tokens that lack exp, iat, iss or aud, name others, or live over 15 minutes", async () => {
    const { user, token } = await signedUpMember();
    const { exp: _exp, iat: _iat, iss: _iss, aud: _aud, ...bare } = claimsFor(user, token);
    const claims = claimsFor(user, token);
    const refused = {
      "no exp": { ...bare, iat: now(), iss: WORKER_NAME, aud: WORKER_NAME },
      "no iat": { ...bare, exp: now() + 900, iss: WORKER_NAME, aud: WORKER_NAME },
      "no iss": { ...bare, iat: now(), exp: now() + 900, aud: WORKER_NAME },
      "no aud": { ...bare, iat: now(), exp: now() + 900, iss: WORKER_NAME },
      "another iss": { ...claims, iss: "someone-else" },
      "another aud": { ...claims, aud: "another-api" },
      "16 minutes": { ...claims, exp: claims.iat + 901 },
    };
    for (const [label, payload] of Object.entries(refused)) {
      const response = await api("/api/users/me", { token: await sign(payload, SECRET) });
      expect(response.status, label).toBe(401);
    }
    expect(decode(token).payload).toMatchObject({ iss: WORKER_NAME, aud: WORKER_NAME });
    const exactly15 = await sign({ ...claims, exp: claims.iat + 900 }, SECRET);
    expect((await api("/api/users/me", { token: exactly15 })).status).toBe(200);
  });

  // Runs the monolith's app with other settings (apiWith); the services' settings are fixed for the run.
  it.skipIf(SHAPE === "services")(
    "issues and requires the iss and aud set in JWT_ISSUER and JWT_AUDIENCE",
    async () => {
      const { user, token } = await signedUpMember();
      const elsewhere = { JWT_ISSUER: "https://auth.example", JWT_AUDIENCE: "shop-api" };
      const me = (bearer: string) => apiWith(elsewhere, "/api/users/me", { token: bearer });
      expect((await me(token)).status).toBe(401);
      const issued = await apiWith(elsewhere, "/api/auth/login", {
        method: "POST",
        json: { email: user.email, password: PASSWORD },
      });
      const { accessToken } = (await issued.json()) as { accessToken: string };
      expect(decode(accessToken).payload).toMatchObject({
        iss: "https://auth.example",
        aud: "shop-api",
      });
      expect((await me(accessToken)).status).toBe(200);
    },
  );

  it("locks out a deactivated user's access token at once", async () => {
    const { user, token } = await signedUpMember();
    expect((await api("/api/users/me", { token })).status).toBe(200);
    await api(`/api/users/${user.id}`, { method: "DELETE", token });
    await expect401(await api("/api/users/me", { token }));
  });

  // Runs the monolith's app with other settings (apiWith); the services' settings are fixed for the run.
  it.skipIf(SHAPE === "services")(
    "accepts tokens signed with JWT_SECRET_PREVIOUS during a key rotation",
    async () => {
      const { user, token } = await signedUpMember();
      const oldToken = await sign(claimsFor(user, token), SECRET);
      const rotated = { JWT_SECRET: "the-new-secret-which-is-also-32-bytes!!" };
      const withPrevious = await apiWith(
        { ...rotated, JWT_SECRET_PREVIOUS: SECRET },
        "/api/users/me",
        { token: oldToken },
      );
      expect(withPrevious.status).toBe(200);
      const withoutPrevious = await apiWith(rotated, "/api/users/me", { token: oldToken });
      expect(withoutPrevious.status).toBe(401);
    },
  );

  // Runs the monolith's app with other settings (apiWith); the services' settings are fixed for the run.
  it.skipIf(SHAPE === "services").each([
    ["missing", undefined],
    ["shorter than 32 bytes", "too-short-secret"],
    ["the placeholder of .dev.vars.example", JWT_SECRET_PLACEHOLDER],
  ])(
    "fails every authenticated request with a 500 naming a JWT_SECRET that is %s",
    async (_, secret) => {
      const misconfigured = { JWT_SECRET: secret };
      const me = await apiWith(misconfigured, "/api/users/me");
      expect(me.status).toBe(500);
      expect(await problemOf(me)).toMatchObject({
        code: "AUTH.MISCONFIGURED",
        detail: expect.stringContaining("JWT_SECRET"),
      });
      const loginAttempt = await apiWith(misconfigured, "/api/auth/login", {
        method: "POST",
        json: { email: "a@example.com", password: PASSWORD },
      });
      expect(loginAttempt.status).toBe(500);
      const ready = await apiWith(misconfigured, "/health/ready");
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { jwtSecret: { status: "fail" } } });
    },
  );

  it("knows the placeholder that .dev.vars.example ships", () => {
    expect(devVarsExample).toContain(`\nJWT_SECRET=${JWT_SECRET_PLACEHOLDER}\n`);
  });
});

describe("object-level authorization (OWASP API1)", () => {
  it("keeps user A away from user B's account", async () => {
    const a = await signedUpMember();
    const b = await signedUpMember();
    const path = `/api/users/${b.user.id}`;
    const attempts = [
      api(path, { token: a.token }),
      api(path, { method: "PATCH", token: a.token, json: { name: "Hijacked" } }),
      api(path, { method: "PUT", token: a.token, json: { name: "Hijacked", email: a.user.email } }),
      api(path, { method: "DELETE", token: a.token }),
      api(`${path}/events`, { token: a.token }),
      api(`${path}/password`, {
        method: "POST",
        token: a.token,
        json: { currentPassword: PASSWORD, newPassword: "taken over passphrase" },
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(await problemOf(response)).toMatchObject({ code: "AUTH.FORBIDDEN" });
    }
    const untouched = (await (await api(path, { token: b.token })).json()) as UserBody;
    expect(untouched).toMatchObject({ name: b.user.name, status: "active", version: 1 });
  });

  it("lets an admin read, change and deactivate any user", async () => {
    const admin = await signedInAdmin();
    const { user } = await signedUpMember();
    const path = `/api/users/${user.id}`;
    expect((await api(path, { token: admin.token })).status).toBe(200);
    expect((await api(`${path}/events`, { token: admin.token })).status).toBe(200);
    const renamed = await api(path, {
      method: "PATCH",
      token: admin.token,
      json: { name: "By ops" },
    });
    expect(renamed.status).toBe(200);
    expect((await api(path, { method: "DELETE", token: admin.token })).status).toBe(204);
  });
});

describe("function-level authorization (OWASP API5)", () => {
  it("refuses admin endpoints to a customer with 403", async () => {
    const customer = await signedUpMember();
    const other = await signedUpMember();
    expect((await api("/api/users", { token: customer.token })).status).toBe(403);
    const selfPromotion = await api(`/api/users/${customer.user.id}/role`, {
      method: "PUT",
      token: customer.token,
      json: { role: "admin" },
    });
    expect(selfPromotion.status).toBe(403);
    const promoteOther = await api(`/api/users/${other.user.id}/role`, {
      method: "PUT",
      token: customer.token,
      json: { role: "admin" },
    });
    expect(promoteOther.status).toBe(403);
  });

  it("lets an admin change a role: an event, and it applies to the user's current token", async () => {
    const admin = await signedInAdmin();
    const { user, token } = await signedUpMember();
    expect((await api("/api/users", { token })).status).toBe(403);

    const response = await api(`/api/users/${user.id}/role`, {
      method: "PUT",
      token: admin.token,
      json: { role: "admin" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(await response.json()).toMatchObject({ role: "admin", version: 2 });

    expect((await api("/api/users", { token })).status).toBe(200);
    const events = (await (await api(`/api/users/${user.id}/events`, { token })).json()) as {
      items: { type: string; data: unknown }[];
    };
    expect(events.items.at(-1)).toMatchObject({
      type: "UserRoleChanged",
      data: { previousRole: "customer", role: "admin" },
    });
    const fresh = await login(user.email);
    expect(fresh.accessToken).toBeTruthy();
  });

  it("validates the role", async () => {
    const admin = await signedInAdmin();
    const { user } = await signedUpMember();
    const response = await api(`/api/users/${user.id}/role`, {
      method: "PUT",
      token: admin.token,
      json: { role: "superuser" },
    });
    expect(response.status).toBe(400);
  });
});
