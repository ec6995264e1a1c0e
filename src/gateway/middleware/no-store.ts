import type { Context } from "hono";

const isAuthPath = (path: string): boolean => path === "/api/auth" || path.startsWith("/api/auth/");

/**
 * Whether a response may hold a secret or personal data, and so gets `Cache-Control: no-store`:
 * all of /api/auth/ (tokens), every answer to a request that carries credentials, and every 401
 * (the answer of an endpoint that needs them), errors included.
 */
export const needsNoStore = (c: Context, status: number): boolean =>
  status === 401 || c.req.raw.headers.has("authorization") || isAuthPath(c.req.path);
