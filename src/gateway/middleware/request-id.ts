import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

export const REQUEST_ID_HEADER = "x-request-id";

// A client's id is kept only when it is short and cannot smuggle anything into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (the client's when sane, else a new UUID) and echoes it back. */
export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const offered = c.req.header(REQUEST_ID_HEADER);
    const id = offered && SANE_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  });
