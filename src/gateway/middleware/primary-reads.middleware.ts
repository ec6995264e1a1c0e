import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

/**
 * Makes the request read D1 from the primary, also when the client sent a bookmark (see
 * `D1Session.atPrimary`): for routes that read a caller's own account before any token names the
 * caller (logging in, a refresh, the admin bootstrap), where a replica's lag would let an old
 * password, a revoked session or a closed bootstrap through (ADR 0035).
 */
export const primaryReads = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("d1", c.var.d1.atPrimary());
    await next();
  });
