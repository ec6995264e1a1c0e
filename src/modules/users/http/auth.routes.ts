import { createRoute } from "@hono/zod-openapi";
import { enforceRateLimit, rateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { unwrap } from "../../../gateway/problem";
import { createRouter } from "../../../gateway/router";
import { problemResponses } from "../../../gateway/schemas";
import { recordSecurityOutcome } from "../../../metrics/metrics";
import { login } from "../application/login.handler";
import { logout, refreshSession } from "../application/refresh-session.handler";
import { parseEmail } from "../domain/email.value-object";
import { sessionDeps, usersDeps } from "./users.deps";
import { LoginSchema, RefreshTokenSchema, TokenPairSchema } from "./users.schemas";

const tags = ["Auth"];
const json = <T>(schema: T) => ({ "application/json": { schema } });
const tokenPair = { description: "A new token pair", content: json(TokenPairSchema) };

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      operationId: "logIn",
      tags,
      security: [],
      summary: "Trade email and password for a token pair (rate limited per address)",
      middleware: rateLimit((env) => env.LOGIN_RATE_LIMITER, "login"),
      request: { body: { required: true, content: json(LoginSchema) } },
      responses: { 200: tokenPair, ...problemResponses(400, 401, 413, 415, 429, 500) },
    }),
    async (c) => {
      const credentials = c.req.valid("json");
      // Per account too: guessing one account's password from many addresses is still limited.
      const email = parseEmail(credentials.email);
      const account = email.ok ? email.value : credentials.email.trim().toLowerCase();
      await enforceRateLimit(c.env.ACCOUNT_RATE_LIMITER, `login:${account}`, "login");
      const session = await login(sessionDeps(c), credentials);
      if (!session.ok) recordSecurityOutcome(c, "login_failed", 401, session.error.code);
      return c.json(unwrap(session), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/refresh",
      operationId: "refreshSession",
      tags,
      security: [],
      summary: "Rotate a refresh token; reusing a rotated one revokes its whole family",
      middleware: rateLimit((env) => env.REFRESH_RATE_LIMITER, "refresh"),
      request: { body: { required: true, content: json(RefreshTokenSchema) } },
      responses: { 200: tokenPair, ...problemResponses(400, 401, 413, 415, 429, 500) },
    }),
    async (c) => {
      const pair = await refreshSession(sessionDeps(c), c.req.valid("json").refreshToken);
      return c.json(unwrap(pair), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logout",
      operationId: "logOut",
      tags,
      security: [],
      summary: "End the session (token family) a refresh token belongs to",
      request: { body: { required: true, content: json(RefreshTokenSchema) } },
      responses: {
        204: { description: "Logged out (also for unknown tokens)" },
        ...problemResponses(400, 413, 415),
      },
    }),
    async (c) => {
      await logout(usersDeps(c), c.req.valid("json").refreshToken);
      return c.body(null, 204);
    },
  );
