import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

/**
 * Starts the request's D1 session at the primary (unless the client sent a bookmark): for
 * routes that read a caller's own account before any token names the caller (logging in, a
 * refresh, the admin bootstrap), where a replica's lag would let an old password, a revoked
 * session or a closed bootstrap through (ADR 0035).
 */
export const primaryReads = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.var.d1.startAtPrimary();
    await next();
  });
