import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Principal } from "../../../gateway/app-env";
import { HttpProblem } from "../../../gateway/problem";
import { bearerSecurity } from "../../../gateway/schemas";
import {
  type AccountWrite,
  canActOnUser,
  hasRecentLogin,
  isAdmin,
  needsRecentLogin,
  RECENT_LOGIN_MAX_AGE_SECONDS,
} from "../domain/access-policy";
import type { UserId } from "../domain/user-id.value-object";
import { userRepository } from "../infrastructure/d1-user.repository";
import { verifyAccessToken } from "../infrastructure/jwt-access-tokens";
import { type JwtConfig, readJwtConfig } from "../infrastructure/jwt-config";
import { pbkdf2PasswordHasher } from "../infrastructure/pbkdf2-password-hasher";

/** A 500 that names a misconfigured secret, logged for the operator. */
export function misconfigured(c: Context<AppEnv>, problem: string): HttpProblem {
  console.error(
    JSON.stringify({ level: "error", message: problem, requestId: c.get("requestId") }),
  );
  return new HttpProblem({ status: 500, code: "AUTH.MISCONFIGURED", detail: problem });
}

/** The JWT settings, or a 500 that names the misconfiguration when they are unusable. */
export function requireJwtConfig(c: Context<AppEnv>): JwtConfig {
  const jwt = readJwtConfig(c.env);
  if (jwt.ok) return jwt.config;
  throw misconfigured(c, jwt.problem);
}

const unauthenticated = (detail: string, error?: "invalid_token") =>
  new HttpProblem(
    { status: 401, code: "AUTH.UNAUTHENTICATED", detail },
    {
      "www-authenticate": error ? `Bearer realm="api", error="${error}"` : 'Bearer realm="api"',
    },
  );

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 syntax), if it is one. */
export const bearerTokenOf = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

/**
 * Requires a valid access token. The user is then read from D1 on every request, so a
 * deactivated account is locked out at once, a role change applies at once, and a password
 * change ends the tokens issued before it, rather than when they expire.
 */
export const authenticate = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const jwt = requireJwtConfig(c);
    const header = c.req.header("authorization");
    if (!header) throw unauthenticated("This endpoint needs a bearer access token.");
    const token = bearerTokenOf(header);
    if (!token)
      throw unauthenticated("The Authorization header is not a bearer token.", "invalid_token");
    const claims = await verifyAccessToken(token, jwt);
    if (!claims) {
      throw unauthenticated(
        "The access token is malformed, expired or wrongly signed.",
        "invalid_token",
      );
    }
    // The caller's own account, read from the primary, also when the request sent a bookmark: a
    // deactivation, a role change or a new password applies at once, never after a replica
    // catches up. Without a bookmark the rest of the request reads in that same session, so from
    // the primary or a replica at least as new (ADR 0035).
    const found = await userRepository(c.env, c.var.d1.atPrimary()).findWithPasswordHash({
      id: claims.sub as UserId,
    });
    if (found?.user.status !== "active") {
      throw unauthenticated("The account behind this token is not active.", "invalid_token");
    }
    if ((await pbkdf2PasswordHasher.fingerprint(found.passwordHash)) !== claims.cfp) {
      throw unauthenticated("The password changed since this token was issued.", "invalid_token");
    }
    c.set("principal", {
      id: found.user.id,
      role: found.user.role,
      email: found.user.email,
      sessionId: claims.sid,
      authenticatedAt: claims.auth_time,
    });
    await next();
  });

/** Route config for an operation that needs a bearer token: documented and enforced together. */
export const authenticated = { security: bearerSecurity, middleware: authenticate() };

/**
 * For public operations that show more to some callers: a token, if sent, must be valid and
 * sets the principal; without one the caller is anonymous.
 */
const authenticateWhenAsked = authenticate();
export const identifyIfPresent = {
  security: [...bearerSecurity, {}],
  middleware: createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header("authorization") === undefined) return next();
    return authenticateWhenAsked(c, next);
  }),
};

export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new Error("This route must run authenticate() first");
  return principal;
}

const forbidden = (detail: string) =>
  new HttpProblem({ status: 403, code: "AUTH.FORBIDDEN", detail });

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

/** The caller must be an admin. */
export function requireAdmin(c: Context<AppEnv>): void {
  if (!isAdmin(principalOf(c))) throw forbidden("Only an admin may do this.");
}

/** Route config for an admin-only operation: a bearer token of an admin. */
export const adminOnly = {
  security: bearerSecurity,
  middleware: [
    authenticate(),
    createMiddleware<AppEnv>(async (c, next) => {
      requireAdmin(c);
      await next();
    }),
  ],
};
