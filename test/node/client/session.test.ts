import { describe, expect, it } from "vitest";
import { ApiProblem, createApiClient, unwrap } from "../../../client/src/index";
import { EXPIRED, fakeApi, json, problem, tokens } from "./fake-api";

const ME = {
  id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
  email: "ada@example.com",
  name: "Ada Lovelace",
  status: "active",
  role: "customer",
  version: 1,
  createdAt: "2026-11-20T09:30:00.000Z",
  updatedAt: "2026-11-20T09:30:00.000Z",
};
const credentials = { email: "ada@example.com", password: "correct horse battery" };

/** An API whose valid access token is `access-<valid>`; each refresh issues the next one. */
function apiWithExpiringTokens(options: { refreshFails?: boolean; alwaysExpired?: boolean } = {}) {
  let valid = 1;
  const api = fakeApi((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/auth/login") return json(tokens(valid));
    if (path === "/api/auth/refresh") {
      if (options.refreshFails) return problem(401, { code: "AUTH.INVALID_REFRESH_TOKEN" });
      valid++;
      return json(tokens(valid));
    }
    const fresh = request.headers.get("authorization") === `Bearer access-${valid}`;
    return fresh && !options.alwaysExpired ? json(ME) : problem(401, {}, EXPIRED);
  });
  const client = createApiClient({ baseUrl: "http://api.test", fetch: api.fetch });
  const expire = () => {
    valid++;
  };
  const refreshes = () => api.requests.filter(({ request }) => request.url.endsWith("/refresh"));
  return { api, client, expire, refreshes };
}

describe("the session", () => {
  it("sends the access token from login with every call", async () => {
    const { api, client } = apiWithExpiringTokens();
    await client.login(credentials);
    const me = await unwrap(client.GET("/api/users/me"));
    expect(me.name).toBe("Ada Lovelace");
    expect(api.requests[1]?.request.headers.get("authorization")).toBe("Bearer access-1");
  });

  it("refreshes once on a 401 for an expired token, and retries with the new one", async () => {
    const { client, expire, refreshes } = apiWithExpiringTokens();
    await client.login(credentials);
    expire();
    const me = await unwrap(client.GET("/api/users/me"));
    expect(me.id).toBe(ME.id);
    expect(refreshes()).toHaveLength(1);
    expect(refreshes()[0]?.body).toEqual({ refreshToken: "refresh-1" });
    expect(client.session.tokens).toEqual({ accessToken: "access-3", refreshToken: "refresh-3" });
  });

  it("refreshes once for many concurrent calls: a refresh token works only once", async () => {
    const { client, expire, refreshes } = apiWithExpiringTokens();
    await client.login(credentials);
    expire();
    const answers = await Promise.all([1, 2, 3, 4].map(() => client.GET("/api/users/me")));
    expect(answers.map(({ response }) => response.status)).toEqual([200, 200, 200, 200]);
    expect(refreshes()).toHaveLength(1);
  });

  it("retries only once: a second 401 stands", async () => {
    const { client, refreshes } = apiWithExpiringTokens({ alwaysExpired: true });
    await client.login(credentials);
    const { response } = await client.GET("/api/users/me");
    expect(response.status).toBe(401);
    expect(refreshes()).toHaveLength(1);
  });

  it("gives up and forgets the session when the refresh is refused", async () => {
    const { client, expire } = apiWithExpiringTokens({ refreshFails: true });
    await client.login(credentials);
    expire();
    const { response } = await client.GET("/api/users/me");
    expect(response.status).toBe(401);
    expect(client.session.tokens).toBeUndefined();
  });

  it("does not refresh for a 401 that a new token would not cure", async () => {
    const api = fakeApi(() => problem(401, { code: "AUTH.INVALID_CREDENTIALS" }));
    const client = createApiClient({ baseUrl: "http://api.test", fetch: api.fetch });
    await expect(client.login(credentials)).rejects.toBeInstanceOf(ApiProblem);
    expect(api.requests).toHaveLength(1);
  });
});

describe("problem documents", () => {
  it("become a typed ApiProblem with status, code and the whole document", async () => {
    const api = fakeApi(() =>
      problem(409, { title: "Conflict", code: "USER.EMAIL_TAKEN", detail: "taken" }),
    );
    const client = createApiClient({ baseUrl: "http://api.test", fetch: api.fetch });
    const body = { email: "ada@example.com", name: "Ada", password: "correct horse battery" };
    const failure = await unwrap(client.POST("/api/users", { body })).catch((error) => error);
    expect(failure).toBeInstanceOf(ApiProblem);
    expect(failure).toMatchObject({ status: 409, code: "USER.EMAIL_TAKEN" });
    expect((failure as ApiProblem).problem.detail).toBe("taken");
  });

  it("are made from the status line when the body is not one", async () => {
    const api = fakeApi(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const client = createApiClient({ baseUrl: "http://api.test", fetch: api.fetch });
    const failure = await unwrap(client.GET("/health")).catch((error) => error);
    expect(failure).toMatchObject({ status: 502, problem: { status: 502 } });
  });
});
