import { decode } from "hono/jwt";
import { describe, expect, it } from "vitest";
import {
  api,
  login,
  PASSWORD,
  problemOf,
  signedInAdmin,
  signedUpMember,
  type TokenPair,
  type UserBody,
  uniqueEmail,
} from "../../../support/api";
import { dbOf } from "../../../support/shape";

const STEP_UP_CHALLENGE =
  'Bearer realm="api", error="insufficient_user_authentication", max_age=300';

/**
 * A session whose password login was `secondsAgo` ago: the login is moved back in D1, and a
 * refresh brings that login time into a new access token, as it would after that long.
 */
async function loggedIn(secondsAgo: number, pair: TokenPair): Promise<string> {
  const { sid, auth_time } = decode(pair.accessToken).payload as { sid: string; auth_time: number };
  await dbOf("users")
    .prepare("UPDATE refresh_tokens SET authenticated_at = ? WHERE family_id = ?")
    .bind(auth_time - secondsAgo, sid)
    .run();
  const response = await api("/api/auth/refresh", {
    method: "POST",
    json: { refreshToken: pair.refreshToken },
  });
  return ((await response.json()) as TokenPair).accessToken;
}

async function expectStepUp(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe(STEP_UP_CHALLENGE);
  expect(await problemOf(response)).toMatchObject({
    code: "AUTH.RECENT_LOGIN_REQUIRED",
    maxAge: 300,
  });
}

describe("step-up: sensitive changes to one's own account need a recent login", () => {
  it("asks for a login within 5 minutes before one's own email changes", async () => {
    const { user } = await signedUpMember();
    const stale = await loggedIn(301, await login(user.email));
    const path = `/api/users/${user.id}`;

    await expectStepUp(
      await api(path, { method: "PATCH", token: stale, json: { email: uniqueEmail() } }),
    );
    await expectStepUp(
      await api(path, { method: "PUT", token: stale, json: { email: uniqueEmail(), name: "Ada" } }),
    );
    // Nothing sensitive: a rename, or "changing" the email to itself, needs no new login.
    const renamed = await api(path, {
      method: "PUT",
      token: stale,
      json: { email: user.email.toUpperCase(), name: "Ada King" },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ email: user.email, name: "Ada King" });

    const fresh = await loggedIn(299, await login(user.email));
    const moved = await api(path, {
      method: "PATCH",
      token: fresh,
      json: { email: uniqueEmail() },
    });
    expect(moved.status).toBe(200);
  });

  it("asks for a login within 5 minutes before one deactivates one's own account", async () => {
    const { user } = await signedUpMember();
    const stale = await loggedIn(600, await login(user.email));
    const path = `/api/users/${user.id}`;
    await expectStepUp(await api(path, { method: "DELETE", token: stale }));
    expect((await api(path, { token: stale })).status).toBe(200);

    const fresh = (await login(user.email)).accessToken;
    expect((await api(path, { method: "DELETE", token: fresh })).status).toBe(204);
  });
});

/** A guarded admin write and what it answers once allowed. */
interface GuardedWrite {
  readonly name: string;
  readonly send: (token: string, target: UserBody) => Promise<Response>;
  readonly succeeds: number;
}

const write =
  (method: string, suffix: string, json?: unknown) => (token: string, target: UserBody) =>
    api(`/api/users/${target.id}${suffix}`, {
      method,
      token,
      ...(json === undefined ? {} : { json: typeof json === "function" ? json() : json }),
    });

/** Every write an admin can make to another user's account, and every role change. */
const GUARDED: readonly GuardedWrite[] = [
  { name: "PATCH a name", send: write("PATCH", "", { name: "Renamed" }), succeeds: 200 },
  {
    name: "PATCH an email",
    send: write("PATCH", "", () => ({ email: uniqueEmail("moved") })),
    succeeds: 200,
  },
  {
    name: "PUT email and name",
    send: write("PUT", "", () => ({ email: uniqueEmail("replaced"), name: "Replaced" })),
    succeeds: 200,
  },
  {
    name: "POST a new password",
    send: write("POST", "/password", { currentPassword: PASSWORD, newPassword: "an admin's pick" }),
    succeeds: 204,
  },
  { name: "PUT role admin", send: write("PUT", "/role", { role: "admin" }), succeeds: 200 },
  { name: "DELETE (deactivate)", send: write("DELETE", ""), succeeds: 204 },
];

/** The target as the log left it: a refused write must leave its version where it was. */
async function versionOf(id: string): Promise<number> {
  const row = await dbOf("users")
    .prepare("SELECT version FROM users WHERE id = ?")
    .bind(id)
    .first<{ version: number }>();
  return row?.version ?? 0;
}

describe("step-up: every admin write to another account, and every role change", () => {
  it.each(GUARDED)("asks a 10-minute-old admin login for a new one: $name", async (guarded) => {
    const admin = await signedInAdmin();
    const { user: target } = await signedUpMember();
    const stale = await loggedIn(600, await login(admin.user.email));
    const before = await versionOf(target.id);

    await expectStepUp(await guarded.send(stale, target));
    expect(await versionOf(target.id)).toBe(before);

    const fresh = await loggedIn(299, await login(admin.user.email));
    expect((await guarded.send(fresh, target)).status).toBe(guarded.succeeds);
    expect(await versionOf(target.id)).toBeGreaterThan(before);
  });

  it("keeps a stolen admin session from making an accomplice admin", async () => {
    const admin = await signedInAdmin();
    const accomplice = await signedUpMember();
    const stolen = await loggedIn(600, await login(admin.user.email));
    await expectStepUp(
      await api(`/api/users/${accomplice.user.id}/role`, {
        method: "PUT",
        token: stolen,
        json: { role: "admin" },
      }),
    );
    // The accomplice is still a customer: admin endpoints refuse them.
    expect((await api("/api/users", { token: accomplice.token })).status).toBe(403);
  });

  it("asks for a recent login before demoting another admin, or oneself", async () => {
    const admin = await signedInAdmin();
    const other = await signedUpMember();
    const fresh = await loggedIn(0, await login(admin.user.email));
    const granted = await api(`/api/users/${other.user.id}/role`, {
      method: "PUT",
      token: fresh,
      json: { role: "admin" },
    });
    expect(granted.status).toBe(200);
    const staleAdmin = await loggedIn(600, await login(admin.user.email));
    await expectStepUp(
      await api(`/api/users/${other.user.id}/role`, {
        method: "PUT",
        token: staleAdmin,
        json: { role: "customer" },
      }),
    );

    const stale = await loggedIn(301, await login(other.user.email));
    const demoteSelf = (token: string) =>
      api(`/api/users/${other.user.id}/role`, { method: "PUT", token, json: { role: "customer" } });
    await expectStepUp(await demoteSelf(stale));
    const recent = await loggedIn(299, await login(other.user.email));
    expect((await demoteSelf(recent)).status).toBe(200);
  });

  it("still lets a user rename themselves, or change their password, without a new login", async () => {
    const { user } = await signedUpMember();
    const stale = await loggedIn(3600, await login(user.email));
    const path = `/api/users/${user.id}`;
    expect((await api(path, { method: "PATCH", token: stale, json: { name: "Ada" } })).status).toBe(
      200,
    );
    const changed = await api(`${path}/password`, {
      method: "POST",
      token: stale,
      json: { currentPassword: PASSWORD, newPassword: "a new long passphrase" },
    });
    expect(changed.status).toBe(204);
  });
});
