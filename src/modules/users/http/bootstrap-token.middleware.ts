import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../gateway/app-env";
import { clientAddress, enforceRateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { HttpProblem, noResourceAt } from "../../../gateway/problem";
import { readBootstrapToken } from "../infrastructure/bootstrap-token";
import { bearerTokenOf, misconfigured } from "./authentication";
import { usersDeps } from "./users.deps";

/**
 * The bootstrap exists only while ADMIN_BOOTSTRAP_TOKEN is set and no admin exists (no admin
 * seat, held or not): otherwise every method on its path answers 404, as any unknown path, so a
 * leaked token promotes no one once the first admin is made. The bootstrap itself re-checks
 * the seats in the statement that takes the first one (see seatingTheFirstAdmin).
 */
export const requireOpenBootstrap = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const closed =
      readBootstrapToken(c.env).kind === "unset" || (await usersDeps(c).adminSeats.anyTaken());
    if (closed) throw new HttpProblem(noResourceAt(c.req.path));
    await next();
  });

/**
 * Requires `Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>`, compared in constant time (see
 * sameSecret). Wrong or missing tokens are a 401, counted per address.
 */
export const requireBootstrapToken = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secret = readBootstrapToken(c.env);
    if (secret.kind === "unset") throw new HttpProblem(noResourceAt(c.req.path));
    if (secret.kind === "weak") throw misconfigured(c, secret.problem);
    await enforceRateLimit(c.env.ADMIN_BOOTSTRAP_RATE_LIMITER, clientAddress(c), "admin bootstrap");
    const offered = bearerTokenOf(c.req.header("authorization"));
    if (offered === undefined || !(await secret.matches(offered))) {
      throw new HttpProblem(
        {
          status: 401,
          code: "AUTH.INVALID_BOOTSTRAP_TOKEN",
          detail: "This endpoint needs `Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>`.",
        },
        { "www-authenticate": 'Bearer realm="admin-bootstrap"' },
      );
    }
    await next();
  });
