import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import { primarySession } from "../../../../src/db/d1-session";
import { login } from "../../../../src/modules/users/application/login.handler";
import { openSession } from "../../../../src/modules/users/application/session-tokens";
import { d1RefreshTokenStore } from "../../../../src/modules/users/infrastructure/d1-refresh-token.store";
import { userRepository } from "../../../../src/modules/users/infrastructure/d1-user.repository";
import { jwtAccessTokenIssuer } from "../../../../src/modules/users/infrastructure/jwt-access-tokens";
import { readJwtConfig } from "../../../../src/modules/users/infrastructure/jwt-config";
import { pbkdf2PasswordHasher } from "../../../../src/modules/users/infrastructure/pbkdf2-password-hasher";
import { api, PASSWORD, signedUpMember } from "../../../support/api";
import { dbOf, SHAPE } from "../../../support/shape";

// Local workerd runs these requests one after another, so the races are replayed step by step
// with the real store and handlers on real D1 (cases found in review).
const store = () => d1RefreshTokenStore(openDatabase(dbOf("users")));
const session = () => openSession({ now: Date.now(), maxDays: 30, userAgent: "test" });

async function rotated(tokens: ReturnType<typeof store>, userId: string) {
  const token = (await tokens.issue(userId, "fp", session())) as string;
  const rotation = await tokens.rotate(token);
  if (rotation.kind !== "rotated") throw new Error("setup: the token did not rotate");
  return { token, rotation };
}

describe("a refresh racing a revocation", () => {
  it("cannot revive a family revoked by reuse detection", async () => {
    const tokens = store();
    const { token, rotation } = await rotated(tokens, "user-1");
    const replay = await tokens.rotate(token);
    expect(replay.kind).toBe("reused");
    if (replay.kind === "reused") await tokens.revokeFamily(replay.familyId);
    expect(await tokens.issue(rotation.userId, "fp", rotation.session)).toBeUndefined();
  });

  it("cannot revive sessions ended by a password change or a logout", async () => {
    const tokens = store();
    const first = await rotated(tokens, "user-2");
    await tokens.revokeAllOf("user-2");
    expect(await tokens.issue("user-2", "fp", first.rotation.session)).toBeUndefined();
    const second = await rotated(tokens, "user-3");
    await tokens.revokeFamilyOf(second.token);
    expect(await tokens.issue("user-3", "fp", second.rotation.session)).toBeUndefined();
  });
});

// Runs the users module's login handler in the runner's isolate with its bindings (the event
// log): the monolith's only. The store-level races above run on the users database in both shapes.
describe.skipIf(SHAPE === "services")("a login racing a password change", () => {
  it("opens a session that dies with the old password", async () => {
    const { user, token } = await signedUpMember();
    const jwt = readJwtConfig(env);
    if (!jwt.ok) throw new Error("jwt");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let checked!: () => void;
    const passwordChecked = new Promise<void>((resolve) => {
      checked = resolve;
    });
    // The login checks the old password, then waits while the password changes.
    const slowHasher = {
      ...pbkdf2PasswordHasher,
      async verify(password: string, stored: string | undefined) {
        const result = await pbkdf2PasswordHasher.verify(password, stored);
        checked();
        await gate;
        return result;
      },
    };
    const pending = login(
      {
        repository: userRepository(env, primarySession(dbOf("users"))),
        hasher: slowHasher,
        refreshTokens: store(),
        accessTokens: jwtAccessTokenIssuer(jwt.config),
        sessionMaxDays: 30,
      },
      { email: user.email, password: PASSWORD },
    );
    await passwordChecked;
    const change = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase 123" },
    });
    expect(change.status).toBe(204);
    release();

    const outcome = await pending;
    if (!outcome.ok) throw new Error("the login was refused outright");
    const refreshed = await api("/api/auth/refresh", {
      method: "POST",
      json: { refreshToken: outcome.value.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    expect((await api("/api/users/me", { token: outcome.value.accessToken })).status).toBe(401);
  });
});
