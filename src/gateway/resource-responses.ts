import { createRoute, type z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { EventView } from "../db/domain-events.queries";
import type { Page } from "../db/keyset-pagination";
import type { AppEnv } from "./app-env";
import { etagOf, ifMatchVersions, matchesIfNoneMatch } from "./conditional-requests";
import { unwrap } from "./problem";
import {
  EventListSchema,
  GATEWAY_STATUSES,
  IdParamSchema,
  PageQuerySchema,
  problemResponses,
} from "./schemas";

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

/** The versions the request's `If-Match` accepts (undefined: any); a malformed header is a 400. */
export const expectedVersions = (c: Context<AppEnv>): readonly number[] | undefined =>
  unwrap(ifMatchVersions(c.req.header("if-match")));

/** A 304 when `If-None-Match` names the current version, else undefined. */
export const notModified = (c: Context<AppEnv>, version: number): Response | undefined =>
  matchesIfNoneMatch(c.req.header("if-none-match"), version)
    ? c.body(null, 304, { ETag: etagOf(version) })
    : undefined;

/** 204 after a write that leaves the resource at `version` (archive, deactivate). */
export const noContentWithEtag = (c: Context<AppEnv>, version: number) =>
  c.body(null, 204, { ETag: etagOf(version) });

/** The route of `GET /{id}/events`, a resource's log, for any module. */
export const eventsRoute = (config: {
  operationId: string;
  tags: string[];
  summary: string;
  access: {
    security: { [name: string]: string[] }[];
    middleware: MiddlewareHandler<AppEnv> | MiddlewareHandler<AppEnv>[];
  };
}) =>
  createRoute({
    method: "get",
    path: "/{id}/events",
    operationId: config.operationId,
    tags: config.tags,
    summary: config.summary,
    ...config.access,
    request: { params: IdParamSchema(), query: PageQuerySchema() },
    responses: {
      200: {
        description: "A page of the resource's log, oldest first",
        content: json(EventListSchema),
      },
      ...problemResponses(400, 401, 403, 404, ...GATEWAY_STATUSES),
    },
  });

/** The body of `GET /{id}/events`. */
export const eventList = (c: Context<AppEnv>, page: Page<EventView>) =>
  c.json(page as z.infer<typeof EventListSchema>, 200);

/** `?limit=&cursor=` as the queries take it (an absent cursor stays absent). */
export const pageRequest = ({ limit, cursor }: { limit: number; cursor?: string | undefined }) => ({
  limit,
  ...(cursor === undefined ? {} : { cursor }),
});
