import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

const isAuthPath = (path: string): boolean => path === "/api/auth" || path.startsWith("/api/auth/");

/**
 * `Cache-Control: no-store` on every response that may hold a secret or personal data: all of
 * /api/auth/ (tokens), every response to a request that carries credentials, and every 401 (the
 * answer of an endpoint that needs them), errors included. Set after the handler, so it also
 * covers the problem documents the error handler renders.
 */
export const noStoreForCredentials = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (
      isAuthPath(c.req.path) ||
      c.req.header("authorization") !== undefined ||
      c.res.status === 401
    ) {
      c.res.headers.set("cache-control", "no-store");
    }
  });
