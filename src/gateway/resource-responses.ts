import type { Context } from "hono";
import type { AppEnv } from "./app-env";
import { etagOf, matchesIfNoneMatch } from "./conditional-requests";

/** OpenAPI content of a JSON body with this schema. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });

/** OpenAPI description of the `ETag` response header. */
export const ETAG_HEADER = {
  ETag: { schema: { type: "string" as const }, description: "The resource's version." },
};

/** A single resource with its version as `ETag`. */
export const withEtag = <T extends { version: number }, S extends 200 | 201>(
  c: Context<AppEnv>,
  resource: T,
  status: S,
) => {
  c.header("ETag", etagOf(resource.version));
  return c.json(resource, status);
};

/** A 304 when `If-None-Match` names the current version, else undefined. */
export const notModified = (c: Context<AppEnv>, version: number): Response | undefined =>
  matchesIfNoneMatch(c.req.header("if-none-match"), version)
    ? c.body(null, 304, { ETag: etagOf(version) })
    : undefined;
