import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../gateway/app-env";
import { clientAddress, enforceRateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { HttpProblem } from "../../../gateway/problem";
import { readBootstrapToken } from "../infrastructure/bootstrap-token";
import { bearerTokenOf, misconfigured } from "./authentication.middleware";

/**
 * Requires `Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>`. Without the secret the route does
 * not exist (404, as any unknown path); wrong or missing tokens are a 401, counted per address.
 */
export const requireBootstrapToken = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secret = readBootstrapToken(c.env);
    if (secret.kind === "unset") {
      throw new HttpProblem({ status: 404, detail: `No resource at ${c.req.path}.` });
    }
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
