import { decode } from "hono/jwt";
import { describe, expect, it, vi } from "vitest";
import { PBKDF2_ITERATIONS } from "../../../../src/modules/users/infrastructure/pbkdf2-password-hasher";
import {
  api,
  login,
  PASSWORD,
  problemOf,
  registerUser,
  signedUpMember,
  type TokenPair,
} from "../../../support/api";
import { SHAPE } from "../../../support/shape";

const refresh = (refreshToken: string) =>
  api("/api/auth/refresh", { method: "POST", json: { refreshToken } });

describe("POST /api/auth/login", () => {
  it("returns a Bearer pair whose access token is an HS256 JWT for 15 minutes", async () => {
    const user = await registerUser();
    const pair = await login(user.email.toUpperCase());
    expect(pair).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    const { header, payload } = decode(pair.accessToken);
    expect(header.alg).toBe("HS256");
    expect(payload).toMatchObject({ sub: user.id, role: "customer" });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("answers an unknown email, a wrong password and a deactivated account alike", async () => {
    const { user, token } = await signedUpMember();
    const deactivated = await signedUpMember();
    await api(`/api/users/${deactivated.user.id}`, { method: "DELETE", token: deactivated.token });
    const attempts = [
      { email: "nobody@example.com", password: PASSWORD },
      { email: user.email, password: "not the right password" },
      { email: deactivated.user.email, password: PASSWORD },
    ];
    const bodies = [];
    for (const attempt of attempts) {
      const response = await api("/api/auth/login", { method: "POST", json: attempt });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const { requestId: _requestId, ...problem } = await problemOf(response);
      bodies.push(problem);
    }
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ code: "AUTH.INVALID_CREDENTIALS" });
    expect(token).toBeTruthy();
  });
});

// The spy counts the runner isolate's WebCrypto calls; in the services shape the users service hashes.
describe.skipIf(SHAPE === "services")("POST /api/auth/login: equal work for every account", () => {
  /** PBKDF2 runs at full cost during `work`, counted at WebCrypto (calls pass through). */
  async function passwordHashesDuring(work: () => Promise<unknown>): Promise<number> {
    const deriveBits = vi.spyOn(crypto.subtle, "deriveBits");
    try {
      await work();
      return deriveBits.mock.calls.filter(([algorithm]) => {
        const { name, iterations } = algorithm as SubtleCryptoDeriveKeyAlgorithm;
        return name === "PBKDF2" && iterations === PBKDF2_ITERATIONS;
      }).length;
    } finally {
      deriveBits.mockRestore();
    }
  }

  it("hashes the password once for an unknown email, a wrong password and a deactivated account", async () => {
    const member = await signedUpMember();
    const deactivated = await signedUpMember();
    await api(`/api/users/${deactivated.user.id}`, { method: "DELETE", token: deactivated.token });
    const attempts = {
      "unknown email": { email: "nobody-at-all@example.com", password: PASSWORD },
      "not an email": { email: "not an email", password: PASSWORD },
      "wrong password": { email: member.user.email, password: "not the right password" },
      deactivated: { email: deactivated.user.email, password: PASSWORD },
      "right password": { email: member.user.email, password: PASSWORD },
    };
    for (const [label, json] of Object.entries(attempts)) {
      const hashes = await passwordHashesDuring(() =>
        api("/api/auth/login", { method: "POST", json }),
      );
      // Equal work whatever the account, so timing cannot tell which emails exist.
      expect(hashes, label).toBe(1);
    }
  });
});

describe("POST /api/auth/refresh", () => {
  it("rotates: a new pair, and the old refresh token stops working", async () => {
    const { user, refreshToken } = await signedUpMember();
    const response = await refresh(refreshToken);
    expect(response.status).toBe(200);
    const next = (await response.json()) as TokenPair;
    expect(next.refreshToken).not.toBe(refreshToken);
    expect(decode(next.accessToken).payload.sub).toBe(user.id);
    const me = await api("/api/users/me", { token: next.accessToken });
    expect(me.status).toBe(200);
  });

  it("revokes the whole family when a rotated token is used again", async () => {
    const { refreshToken: stolen } = await signedUpMember();
    const ownerPair = (await (await refresh(stolen)).json()) as TokenPair;

    const replay = await refresh(stolen);
    expect(replay.status).toBe(401);
    expect(await problemOf(replay)).toMatchObject({ code: "AUTH.INVALID_REFRESH_TOKEN" });

    // The legitimate holder's newer token died with the family.
    expect((await refresh(ownerPair.refreshToken)).status).toBe(401);
  });

  it("lets only one of two concurrent uses of one token succeed", async () => {
    const { refreshToken } = await signedUpMember();
    const statuses = (await Promise.all([refresh(refreshToken), refresh(refreshToken)]))
      .map((response) => response.status)
      .sort();
    expect(statuses).toEqual([200, 401]);
  });

  it("refuses unknown tokens and the tokens of a deactivated user", async () => {
    expect((await refresh("not-a-token-we-issued")).status).toBe(401);
    const { user, token, refreshToken } = await signedUpMember();
    await api(`/api/users/${user.id}`, { method: "DELETE", token });
    expect((await refresh(refreshToken)).status).toBe(401);
  });
});

describe("POST /api/auth/logout", () => {
  it("ends only that session: the user's other sessions and other users' go on", async () => {
    const { user, refreshToken } = await signedUpMember();
    const otherDevice = await login(user.email);
    const someoneElse = await signedUpMember();
    const response = await api("/api/auth/logout", { method: "POST", json: { refreshToken } });
    expect(response.status).toBe(204);
    expect((await refresh(refreshToken)).status).toBe(401);
    expect((await refresh(otherDevice.refreshToken)).status).toBe(200);
    expect((await refresh(someoneElse.refreshToken)).status).toBe(200);
  });

  it("revokes the session's family and is idempotent", async () => {
    const { refreshToken } = await signedUpMember();
    const response = await api("/api/auth/logout", { method: "POST", json: { refreshToken } });
    expect(response.status).toBe(204);
    expect((await refresh(refreshToken)).status).toBe(401);
    const again = await api("/api/auth/logout", { method: "POST", json: { refreshToken } });
    expect(again.status).toBe(204);
  });
});

describe("POST /api/users/:id/password", () => {
  it("ends every session of that user and no other user's", async () => {
    const { user, token } = await signedUpMember();
    const someoneElse = await signedUpMember();
    const response = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase" },
    });
    expect(response.status).toBe(204);
    expect((await api("/api/users/me", { token: someoneElse.token })).status).toBe(200);
    expect((await refresh(someoneElse.refreshToken)).status).toBe(200);
  });

  it("changes the password and revokes every refresh token of the user", async () => {
    const { user, token, refreshToken } = await signedUpMember();
    const second = await login(user.email);
    const newPassword = "a brand new passphrase";
    const response = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword },
    });
    expect(response.status).toBe(204);

    // Access tokens issued before the change end at once, not in 15 minutes.
    expect((await api("/api/users/me", { token })).status).toBe(401);
    expect(
      (await api("/api/users/me", { token: (await login(user.email, newPassword)).accessToken }))
        .status,
    ).toBe(200);
    expect((await refresh(refreshToken)).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    const old = await api("/api/auth/login", {
      method: "POST",
      json: { email: user.email, password: PASSWORD },
    });
    expect(old.status).toBe(401);
    await login(user.email, newPassword);
  });

  it("refuses a wrong current password with 403 and a short new one with 400", async () => {
    const { user, token } = await signedUpMember();
    const wrong = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: "not my password", newPassword: "a brand new passphrase" },
    });
    expect(wrong.status).toBe(403);
    expect(await problemOf(wrong)).toMatchObject({ code: "AUTH.WRONG_PASSWORD" });
    const short = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword: "short" },
    });
    expect(short.status).toBe(400);
    await login(user.email);
  });
});
