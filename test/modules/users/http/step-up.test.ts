import { env } from "cloudflare:workers";
import { decode } from "hono/jwt";
import { describe, expect, it } from "vitest";
import {
  api,
  login,
  problemOf,
  signedInAdmin,
  signedUpMember,
  type TokenPair,
  uniqueEmail,
} from "../../../support/api";

const STEP_UP_CHALLENGE =
  'Bearer realm="api", error="insufficient_user_authentication", max_age=300';

/**
 * A session whose password login was `secondsAgo` ago: the login is moved back in D1, and a
 * refresh brings that login time into a new access token, as it would after that long.
 */
async function loggedIn(secondsAgo: number, pair: TokenPair): Promise<string> {
  const { sid, auth_time } = decode(pair.accessToken).payload as { sid: string; auth_time: number };
  await env.DB.prepare("UPDATE refresh_tokens SET authenticated_at = ? WHERE family_id = ?")
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

  it("does not ask an admin acting on another user", async () => {
    const admin = await signedInAdmin();
    const { user } = await signedUpMember();
    const stale = await loggedIn(3600, await login(admin.user.email));
    const path = `/api/users/${user.id}`;
    const moved = await api(path, {
      method: "PATCH",
      token: stale,
      json: { email: uniqueEmail() },
    });
    expect(moved.status).toBe(200);
    expect((await api(path, { method: "DELETE", token: stale })).status).toBe(204);
  });
});
