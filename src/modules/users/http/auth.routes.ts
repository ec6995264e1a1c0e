import { createRoute } from "@hono/zod-openapi";
import { authenticated, principalOf } from "../../../gateway/authentication";
import { primaryReads } from "../../../gateway/middleware/primary-reads.middleware";
import { enforceRateLimit, rateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { unwrap } from "../../../gateway/problem";
import { json, pageRequest } from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import {
  BODY_STATUSES,
  GATEWAY_STATUSES,
  IdParamSchema,
  PageQuerySchema,
  problemResponses,
} from "../../../gateway/schemas";
import { recordSecurityOutcome } from "../../../metrics/metrics";
import { login } from "../application/login.handler";
import { logout, refreshSession } from "../application/refresh-session.handler";
import { endSession, listSessions } from "../application/user-sessions";
import { parseEmail } from "../domain/email.value-object";
import { requirePersonalDataKeys } from "./personal-data-keys";
import { sessionDeps, usersDeps } from "./users.deps";
import {
  LoginSchema,
  RefreshTokenSchema,
  SessionListSchema,
  TokenPairSchema,
} from "./users.schemas";

const tags = ["Auth"];
const tokenPair = { description: "A new token pair", content: json(TokenPairSchema) };

export const buildAuthRoutes = () => {
  const authRoutes = createRouter();
  authRoutes.use(primaryReads());
  return authRoutes
    .openapi(
      createRoute({
        method: "post",
        path: "/login",
        operationId: "logIn",
        tags,
        security: [],
        summary: "Trade email and password for a token pair (rate limited per address)",
        middleware: rateLimit((env) => env.LOGIN_RATE_LIMITER, "login", {
          perNetwork: (env) => env.LOGIN_NETWORK_RATE_LIMITER,
        }),
        request: { body: { required: true, content: json(LoginSchema) } },
        responses: {
          200: tokenPair,
          ...problemResponses(400, 401, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const credentials = c.req.valid("json");
        // Per account too: guessing one account's password from many addresses is still limited.
        const email = parseEmail(credentials.email);
        const account = email.ok ? email.value : credentials.email.trim().toLowerCase();
        await enforceRateLimit(c.env.ACCOUNT_RATE_LIMITER, `login:${account}`, "login");
        await requirePersonalDataKeys(c);
        const userAgent = c.req.header("user-agent");
        const session = await login(sessionDeps(c), {
          ...credentials,
          ...(userAgent === undefined ? {} : { userAgent }),
        });
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
        responses: {
          200: tokenPair,
          ...problemResponses(400, 401, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
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
          ...problemResponses(400, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        await logout(usersDeps(c), c.req.valid("json").refreshToken);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/sessions",
        operationId: "listSessions",
        tags,
        summary: "The caller's active sessions (logins that can still refresh), newest first",
        ...authenticated,
        request: { query: PageQuerySchema() },
        responses: {
          200: { description: "A page of sessions", content: json(SessionListSchema) },
          ...problemResponses(400, 401, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        const sessions = await listSessions(
          usersDeps(c).refreshTokens,
          { userId: principal.id, sessionId: principal.sessionId },
          pageRequest(c.req.valid("query")),
        );
        return c.json(unwrap(sessions), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/sessions/{id}",
        operationId: "endSession",
        tags,
        summary: "End one of the caller's sessions: its refresh token stops working at once",
        ...authenticated,
        request: { params: IdParamSchema() },
        responses: {
          204: { description: "Ended (also when it had already ended)" },
          ...problemResponses(400, 401, 404, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        unwrap(await endSession(usersDeps(c).refreshTokens, { userId: principalOf(c).id }, id));
        return c.body(null, 204);
      },
    );
};
