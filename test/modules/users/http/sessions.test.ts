import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { decode } from "hono/jwt";
import { describe, expect, it } from "vitest";
import worker from "../../../../src/index";
import {
  api,
  apiWith,
  PASSWORD,
  problemOf,
  registerUser,
  signedUpMember,
  type TokenPair,
} from "../../../support/api";
import { dbOf, SHAPE } from "../../../support/shape";

interface SessionBody {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function loginWith(email: string, userAgent: string): Promise<TokenPair> {
  const response = await api("/api/auth/login", {
    method: "POST",
    headers: { "user-agent": userAgent },
    json: { email, password: PASSWORD },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TokenPair;
}

const refresh = (refreshToken: string) =>
  api("/api/auth/refresh", { method: "POST", json: { refreshToken } });

async function sessionsOf(
  token: string,
  query = "",
): Promise<{
  items: SessionBody[];
  nextCursor: string | null;
}> {
  const response = await api(`/api/auth/sessions${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as { items: SessionBody[]; nextCursor: string | null };
}

const sessionIdOf = (pair: TokenPair) => decode(pair.accessToken).payload.sid as string;

/** Runs SQL against one session's refresh tokens (a session is one token family). */
const inSession = (pair: TokenPair, set: string, ...values: unknown[]) =>
  dbOf("users")
    .prepare(`UPDATE refresh_tokens SET ${set} WHERE family_id = ?`)
    .bind(...values, sessionIdOf(pair))
    .run();

describe("GET /api/auth/sessions", () => {
  it("lists the caller's active sessions with login time, last use and user agent", async () => {
    const user = await registerUser();
    const laptop = await loginWith(user.email, "Firefox on a laptop");
    const phone = await loginWith(user.email, "Safari on a phone");
    const ended = await loginWith(user.email, "a borrowed computer");
    await api("/api/auth/logout", { method: "POST", json: { refreshToken: ended.refreshToken } });
    await signedUpMember();

    const { items, nextCursor } = await sessionsOf(phone.accessToken);
    expect(nextCursor).toBeNull();
    expect(items.map((session) => [session.userAgent, session.current])).toEqual([
      ["Safari on a phone", true],
      ["Firefox on a laptop", false],
    ]);
    const [, laptopSession] = items as [SessionBody, SessionBody];
    expect(laptopSession.id).toBe(sessionIdOf(laptop));
    const loginTime = Date.parse(laptopSession.createdAt);
    expect(Math.abs(loginTime - Date.now())).toBeLessThan(5000);
    expect(Date.parse(laptopSession.expiresAt) - loginTime).toBe(30 * DAY_MS);

    const refreshed = await refresh(laptop.refreshToken);
    expect(refreshed.status).toBe(200);
    const after = (await sessionsOf(phone.accessToken)).items.find(
      (session) => session.id === laptopSession.id,
    );
    expect(after).toMatchObject({
      createdAt: laptopSession.createdAt,
      expiresAt: laptopSession.expiresAt,
      userAgent: "Firefox on a laptop",
    });
    expect(Date.parse(after?.lastUsedAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(laptopSession.lastUsedAt),
    );
  });

  it("pages with limit and cursor, and needs a token", async () => {
    const user = await registerUser();
    const pairs = [];
    for (const device of ["one", "two", "three"]) pairs.push(await loginWith(user.email, device));
    const token = pairs[0]?.accessToken as string;
    const first = await sessionsOf(token, "?limit=2");
    expect(first.items.map((session) => session.userAgent)).toEqual(["three", "two"]);
    const second = await sessionsOf(token, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((session) => session.userAgent)).toEqual(["one"]);
    expect(second.nextCursor).toBeNull();
    expect((await api("/api/auth/sessions")).status).toBe(401);
  });
});

describe("DELETE /api/auth/sessions/:id", () => {
  it("ends one session: its refresh token stops working, the others go on", async () => {
    const user = await registerUser();
    const laptop = await loginWith(user.email, "laptop");
    const phone = await loginWith(user.email, "phone");
    const path = `/api/auth/sessions/${sessionIdOf(laptop)}`;

    const ended = await api(path, { method: "DELETE", token: phone.accessToken });
    expect(ended.status).toBe(204);
    expect((await refresh(laptop.refreshToken)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(200);
    expect((await sessionsOf(phone.accessToken)).items.map((s) => s.userAgent)).toEqual(["phone"]);
    expect((await api(path, { method: "DELETE", token: phone.accessToken })).status).toBe(204);
  });

  it("answers 404 for another user's session and leaves it alone", async () => {
    const owner = await signedUpMember();
    const other = await signedUpMember();
    const response = await api(
      `/api/auth/sessions/${sessionIdOf(await loginWith(owner.user.email, "x"))}`,
      {
        method: "DELETE",
        token: other.token,
      },
    );
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ code: "AUTH.SESSION_NOT_FOUND" });
    expect((await refresh(owner.refreshToken)).status).toBe(200);
  });
});

describe("a session's lifetime", () => {
  // Runs the monolith's app with another setting (apiWith); the services' settings are fixed for the run.
  it.skipIf(SHAPE === "services")("ends SESSION_MAX_DAYS after its login", async () => {
    const user = await registerUser();
    const response = await apiWith({ SESSION_MAX_DAYS: "2" }, "/api/auth/login", {
      method: "POST",
      json: { email: user.email, password: PASSWORD },
    });
    const pair = (await response.json()) as TokenPair;
    const [session] = (await sessionsOf(pair.accessToken)).items;
    expect(Date.parse(session?.expiresAt ?? "") - Date.parse(session?.createdAt ?? "")).toBe(
      2 * DAY_MS,
    );
  });

  it("is not extended by refreshing", async () => {
    const { refreshToken } = await signedUpMember();
    const pair = (await (await refresh(refreshToken)).json()) as TokenPair;
    // The session is an hour from its end; a refresh must not push the end back.
    const end = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    await inSession(pair, "expires_at = ?", end);
    const next = (await (await refresh(pair.refreshToken)).json()) as TokenPair;
    const { results } = await dbOf("users")
      .prepare("SELECT DISTINCT expires_at FROM refresh_tokens WHERE family_id = ?")
      .bind(sessionIdOf(next))
      .all<{ expires_at: string }>();
    expect(results).toEqual([{ expires_at: end }]);
  });

  it("refuses a refresh token past its session's end", async () => {
    const { refreshToken, token } = await signedUpMember();
    await dbOf("users")
      .prepare("UPDATE refresh_tokens SET expires_at = ? WHERE family_id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), decode(token).payload.sid)
      .run();
    const response = await refresh(refreshToken);
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toMatchObject({ code: "AUTH.INVALID_REFRESH_TOKEN" });
  });

  it("keeps the login's auth_time in every refreshed access token", async () => {
    const user = await registerUser();
    const pair = await loginWith(user.email, "laptop");
    const loggedInAt = decode(pair.accessToken).payload.auth_time as number;
    expect(Math.abs(loggedInAt - Date.now() / 1000)).toBeLessThan(5);
    // As if the login had been an hour ago: refreshing now must not make it recent.
    await inSession(pair, "authenticated_at = ?", loggedInAt - 3600);
    const next = (await (await refresh(pair.refreshToken)).json()) as TokenPair;
    expect(decode(next.accessToken).payload).toMatchObject({
      auth_time: loggedInAt - 3600,
      sid: sessionIdOf(pair),
    });
  });
});

// Runs the monolith's scheduled handler (src/index.ts); the users service runs its own purge.
describe.skipIf(SHAPE === "services")("the scheduled purge of ended sessions", () => {
  it("deletes ended and long-revoked tokens, and keeps live and just-revoked ones", async () => {
    const user = await registerUser();
    const [live, expired, longRevoked, justRevoked] = [
      await loginWith(user.email, "live"),
      await loginWith(user.email, "expired"),
      await loginWith(user.email, "long revoked"),
      await loginWith(user.email, "just revoked"),
    ];
    const rotated = (await (await refresh(live.refreshToken)).json()) as TokenPair;
    await inSession(expired, "expires_at = ?", new Date(Date.now() - 1000).toISOString());
    await inSession(longRevoked, "revoked_at = ?", new Date(Date.now() - 2 * DAY_MS).toISOString());
    await inSession(justRevoked, "revoked_at = ?", new Date().toISOString());

    const handler = worker as ExportedHandler<Env>;
    await handler.scheduled?.(createScheduledController(), env, createExecutionContext());

    const count = async (pair: TokenPair) =>
      (
        await dbOf("users")
          .prepare("SELECT COUNT(*) AS n FROM refresh_tokens WHERE family_id = ?")
          .bind(sessionIdOf(pair))
          .first<{ n: number }>()
      )?.n;
    expect(await count(expired)).toBe(0);
    expect(await count(longRevoked)).toBe(0);
    expect(await count(justRevoked)).toBe(1);
    // The live session keeps its rotated token too: reuse detection needs it.
    expect(await count(live)).toBe(2);
    expect((await refresh(rotated.refreshToken)).status).toBe(200);
  });
});
