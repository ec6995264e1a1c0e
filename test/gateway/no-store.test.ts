import { describe, expect, it } from "vitest";
import { api, login, problemOf, signedUpMember } from "../support/api";

type Operation = { security?: Record<string, string[]>[] };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const SOME_ID = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";
const WITH_BODY = new Set(["post", "put", "patch"]);

/** Every operation of the OpenAPI document, with a concrete path. */
async function operations() {
  const document = (await (await api("/openapi.json")).json()) as OpenApiDocument;
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path: path.replaceAll(/\{[^}]+\}/g, SOME_ID),
      takesCredentials: (operation.security ?? []).some((scheme) => Object.keys(scheme).length),
      // `{}` among the schemes: the credentials are optional (a public read that shows more).
      anonymousToo: (operation.security ?? [{}]).some((scheme) => !Object.keys(scheme).length),
    })),
  );
}

const call = (method: string, path: string, token?: string) =>
  api(path, {
    method: method.toUpperCase(),
    ...(token === undefined ? {} : { token }),
    ...(WITH_BODY.has(method) ? { json: {} } : {}),
  });

async function expectNoStore(response: Response, label: string) {
  expect(response.headers.get("cache-control"), label).toBe("no-store");
  await response.arrayBuffer();
}

describe("Cache-Control: no-store", () => {
  it("is on every /api/auth/* response, successes and errors alike", async () => {
    const { user } = await signedUpMember();
    const pair = await login(user.email);
    const responses = {
      login: await api("/api/auth/login", {
        method: "POST",
        json: { email: user.email, password: "correct horse battery staple" },
      }),
      "wrong password": await api("/api/auth/login", {
        method: "POST",
        json: { email: user.email, password: "not the password at all" },
      }),
      refresh: await api("/api/auth/refresh", {
        method: "POST",
        json: { refreshToken: pair.refreshToken },
      }),
      logout: await api("/api/auth/logout", { method: "POST", json: { refreshToken: "x" } }),
      "bad body": await api("/api/auth/login", { method: "POST", json: {} }),
      "unknown route": await api("/api/auth/nothing-here"),
      "wrong method": await api("/api/auth/login"),
    };
    expect(responses.login.status).toBe(200);
    expect(responses.refresh.status).toBe(200);
    for (const [label, response] of Object.entries(responses)) {
      await expectNoStore(response, label);
    }
  });

  it("is on every response of every operation that takes credentials, with or without them", async () => {
    const { token } = await signedUpMember();
    const secured = (await operations()).filter(
      (operation) => operation.takesCredentials || operation.path.startsWith("/api/auth/"),
    );
    expect(secured.length).toBeGreaterThan(10);
    for (const { method, path, anonymousToo } of secured) {
      await expectNoStore(await call(method, path, token), `${method} ${path} with a token`);
      await expectNoStore(await call(method, path, "not-a-valid-token"), `${method} ${path}`);
      if (!anonymousToo) {
        await expectNoStore(await call(method, path), `${method} ${path} without one`);
      }
    }
  });

  it("is on an authenticated read and its 304", async () => {
    const { user, token } = await signedUpMember();
    const read = await api(`/api/users/${user.id}`, { token });
    expect(read.status).toBe(200);
    await expectNoStore(read, "200");
    const notModified = await api(`/api/users/${user.id}`, {
      token,
      headers: { "if-none-match": '"1"' },
    });
    expect(notModified.status).toBe(304);
    await expectNoStore(notModified, "304");
    const unauthenticated = await api("/api/users/me");
    await problemOf(unauthenticated.clone());
    await expectNoStore(unauthenticated, "401");
  });

  it("leaves public, anonymous responses to the usual caching rules", async () => {
    for (const path of ["/health", "/api/products", `/api/products/${SOME_ID}`, "/openapi.json"]) {
      const response = await api(path);
      expect(response.headers.get("cache-control"), path).toBeNull();
      await response.arrayBuffer();
    }
  });
});
