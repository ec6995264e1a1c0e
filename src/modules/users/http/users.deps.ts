import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { d1AdminSeats } from "../infrastructure/d1-admin-seats";
import { d1RefreshTokenStore } from "../infrastructure/d1-refresh-token.store";
import { userRepository } from "../infrastructure/d1-user.repository";
import { jwtAccessTokenIssuer } from "../infrastructure/jwt-access-tokens";
import { pbkdf2PasswordHasher } from "../infrastructure/pbkdf2-password-hasher";
import { requireJwtConfig } from "./authentication";

/** The module's composition root: adapters for this request's bindings. */
export function usersDeps(c: Context<AppEnv>) {
  const db = c.var.d1.db();
  return {
    repository: userRepository(c.env, c.var.d1),
    hasher: pbkdf2PasswordHasher,
    refreshTokens: d1RefreshTokenStore(db),
    adminSeats: d1AdminSeats(db),
  };
}

const DEFAULT_SESSION_MAX_DAYS = 30;

/** `SESSION_MAX_DAYS`: a whole number of days from 1; anything else is the default, 30. */
export function sessionMaxDaysOf(env: { SESSION_MAX_DAYS?: string }): number {
  const raw = env.SESSION_MAX_DAYS?.trim() ?? "";
  return /^[1-9][0-9]{0,3}$/.test(raw) ? Number(raw) : DEFAULT_SESSION_MAX_DAYS;
}

/** The same, plus the access-token issuer; a missing or weak JWT_SECRET is a 500 here. */
export const sessionDeps = (c: Context<AppEnv>) => ({
  ...usersDeps(c),
  accessTokens: jwtAccessTokenIssuer(requireJwtConfig(c)),
  sessionMaxDays: sessionMaxDaysOf(c.env),
});
