import type { Context } from "hono";
import type { D1Session } from "../../../db/d1-session";
import type { AppEnv } from "../../../gateway/app-env";
import {
  type Authentication,
  type Authenticator,
  forbidden,
  NO_BEARER_TOKEN,
  principalOf,
  unauthenticated,
} from "../../../gateway/authentication";
import { HttpProblem, type ProblemInput } from "../../../gateway/problem";
import {
  type AccountWrite,
  canActOnUser,
  hasRecentLogin,
  needsRecentLogin,
  RECENT_LOGIN_MAX_AGE_SECONDS,
} from "../domain/access-policy";
import type { UserId } from "../domain/user-id.value-object";
import { userRepository } from "../infrastructure/d1-user.repository";
import { verifyAccessToken } from "../infrastructure/jwt-access-tokens";
import { type JwtConfig, readJwtConfig } from "../infrastructure/jwt-config";
import { pbkdf2PasswordHasher } from "../infrastructure/pbkdf2-password-hasher";

/** The 500 that names a misconfigured secret, logged for the operator with the request id. */
const misconfiguredProblem = (requestId: string, problem: string): ProblemInput => {
  console.error(JSON.stringify({ level: "error", message: problem, requestId }));
  return { status: 500, code: "AUTH.MISCONFIGURED", detail: problem };
};

/** A 500 that names a misconfigured secret, logged for the operator. */
export const misconfigured = (c: Context<AppEnv>, problem: string): HttpProblem =>
  new HttpProblem(misconfiguredProblem(c.get("requestId"), problem));

/** The JWT settings, or a 500 that names the misconfiguration when they are unusable. */
export function requireJwtConfig(c: Context<AppEnv>): JwtConfig {
  const jwt = readJwtConfig(c.env);
  if (jwt.ok) return jwt.config;
  throw misconfigured(c, jwt.problem);
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 syntax), if it is one. */
export const bearerTokenOf = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

const misconfiguredAuthentication = (requestId: string, problem: string): Authentication => ({
  ok: false,
  problem: misconfiguredProblem(requestId, problem),
});

/**
 * Who sent `authorization` (an `Authorization` header, or none): the users module's answer to the
 * gateway's `Authenticator` port, in process or over RPC (ADR 0039). The user is read on every
 * request, so a deactivated account is locked out at once, a role change applies at once, and a
 * password change ends the tokens issued before it, rather than when they expire.
 */
export async function authenticateCaller(
  env: Env,
  d1: D1Session,
  authorization: string | undefined,
  requestId: string,
): Promise<Authentication> {
  const jwt = readJwtConfig(env);
  if (!jwt.ok) return misconfiguredAuthentication(requestId, jwt.problem);
  if (authorization === undefined) return NO_BEARER_TOKEN;
  const token = bearerTokenOf(authorization);
  if (!token)
    return unauthenticated("The Authorization header is not a bearer token.", "invalid_token");
  const claims = await verifyAccessToken(token, jwt.config);
  if (!claims) {
    return unauthenticated(
      "The access token is malformed, expired or wrongly signed.",
      "invalid_token",
    );
  }
  // The caller's own account, read from the primary, also when the request sent a bookmark: a
  // deactivation, a role change or a new password applies at once, never after a replica
  // catches up. Without a bookmark the rest of the request reads in that same session, so from
  // the primary or a replica at least as new (ADR 0035).
  const found = await userRepository(env, d1.atPrimary()).findWithPasswordHash({
    id: claims.sub as UserId,
  });
  if (found?.user.status !== "active") {
    return unauthenticated("The account behind this token is not active.", "invalid_token");
  }
  if ((await pbkdf2PasswordHasher.fingerprint(found.passwordHash)) !== claims.cfp) {
    return unauthenticated("The password changed since this token was issued.", "invalid_token");
  }
  return {
    ok: true,
    principal: {
      id: found.user.id,
      role: found.user.role,
      email: found.user.email,
      sessionId: claims.sid,
      authenticatedAt: claims.auth_time,
    },
  };
}

/** The `Authenticator` of the monolith and of the users service: the caller, asked in process. */
export const usersAuthenticator: Authenticator = (c) =>
  authenticateCaller(c.env, c.var.d1, c.req.header("authorization"), c.get("requestId"));

/** The caller must be that user or an admin. */
export function requireSelfOrAdmin(c: Context<AppEnv>, userId: string): void {
  if (!canActOnUser(principalOf(c), userId)) {
    throw forbidden("Only that user or an admin may do this.");
  }
}

/**
 * The step-up: a write that needs a recent password login (see needsRecentLogin) is answered,
 * without one, by a 401 that asks for it (RFC 9470). The client logs in again and retries
 * within 5 minutes. Call it after the caller is known to be allowed at all (403 first).
 */
export function requireRecentLoginFor(
  c: Context<AppEnv>,
  userId: string,
  write: AccountWrite,
): void {
  const caller = principalOf(c);
  if (!needsRecentLogin(caller, userId, write)) return;
  if (hasRecentLogin(caller, Math.floor(Date.now() / 1000))) return;
  throw new HttpProblem(
    {
      status: 401,
      code: "AUTH.RECENT_LOGIN_REQUIRED",
      detail: `Log in again with your password and retry within ${RECENT_LOGIN_MAX_AGE_SECONDS} seconds.`,
      extensions: { maxAge: RECENT_LOGIN_MAX_AGE_SECONDS },
    },
    {
      "www-authenticate": `Bearer realm="api", error="insufficient_user_authentication", max_age=${RECENT_LOGIN_MAX_AGE_SECONDS}`,
    },
  );
}
