import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Authentication, Authenticator, Principal } from "./app-env";

export type { Authentication, Authenticator };

import { HttpProblem } from "./problem";
import { bearerSecurity } from "./schemas";

// Who the caller is, as the gateway's routes ask it (ADR 0039). The users module answers through
// a port, `Authenticator`: in process in the monolith and in the users service, over the USERS
// service binding in the services shape, where the gateway asks before it forwards a request.
// Either way the answer reads the caller's account at the primary on every request, so a
// deactivation, a role change or a new password applies at once.

/** A 401 that asks for a bearer token (RFC 6750), optionally saying the one sent is invalid. */
export const unauthenticated = (detail: string, error?: "invalid_token"): Authentication => ({
  ok: false,
  problem: { status: 401, code: "AUTH.UNAUTHENTICATED", detail },
  headers: {
    "www-authenticate": error ? `Bearer realm="api", error="${error}"` : 'Bearer realm="api"',
  },
});

/** The answer to a request that sent no `Authorization` header to an authenticated route. */
export const NO_BEARER_TOKEN = unauthenticated("This endpoint needs a bearer access token.");

const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const authentication = await c.var.authenticator(c);
  if (!authentication.ok) throw new HttpProblem(authentication.problem, authentication.headers);
  c.set("principal", authentication.principal);
  await next();
});

/** Route config for an operation that needs a bearer token: documented and enforced together. */
export const authenticated = { security: bearerSecurity, middleware: authenticate };

/**
 * For public operations that show more to some callers: a token, if sent, must be valid and
 * sets the principal; without one the caller is anonymous.
 */
export const identifyIfPresent = {
  security: [...bearerSecurity, {}],
  middleware: createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header("authorization") === undefined) return next();
    return authenticate(c, next);
  }),
};

export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new Error("This route must run authenticate() first");
  return principal;
}

/** Whether a principal is an admin: the role the users module grants (its access policy). */
export const isAdmin = (principal: Principal | undefined): boolean => principal?.role === "admin";

/** The 403 of a caller who is known but not allowed. */
export const forbidden = (detail: string) =>
  new HttpProblem({ status: 403, code: "AUTH.FORBIDDEN", detail });

/** The caller must be an admin. */
function requireAdmin(c: Context<AppEnv>): void {
  if (!isAdmin(principalOf(c))) throw forbidden("Only an admin may do this.");
}

/** Route config for an admin-only operation: a bearer token of an admin. */
export const adminOnly = {
  security: bearerSecurity,
  middleware: [
    authenticate,
    createMiddleware<AppEnv>(async (c, next) => {
      requireAdmin(c);
      await next();
    }),
  ],
};
