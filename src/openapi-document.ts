import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app";
import { MAX_COMPONENTS } from "./db/composite-bookmark";
import type { AppEnv } from "./gateway/app-env";
import { D1_BOOKMARK_HEADER } from "./gateway/middleware/d1-session.middleware";
import { BEARER_AUTH } from "./gateway/schemas";

type DocumentConfig = Parameters<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>[0];

/** Everything in the OpenAPI document that is not a route. */
export const API_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Edge Commerce API",
    version: "0.1.0",
    description:
      "Users, products and orders on Cloudflare Workers. Errors are RFC 9457 problem documents; " +
      "single resources carry an `ETag` (their version) and honour `If-Match` / `If-None-Match`.",
    // The repository's licence (LICENSE). `identifier` (an SPDX expression) is OpenAPI 3.1's;
    // the library's type is 3.0's.
    license: { name: "MIT", identifier: "MIT" } as { name: string },
  },
  // Relative: wherever the document is served from (a deployment, or `npm run dev` locally).
  servers: [{ url: "/", description: "The deployment serving this document" }],
  tags: [
    { name: "Health", description: "Liveness and readiness probes." },
    { name: "Auth", description: "Sessions: log in, refresh and log out." },
    { name: "Users", description: "Accounts, their details, passwords and roles." },
    { name: "Products", description: "The catalogue and its stock." },
    { name: "Orders", description: "Orders: placed with every line's stock reserved, or none." },
    { name: "Admin", description: "Operator tasks: making the first admin." },
  ],
} satisfies DocumentConfig;

/**
 * The OpenAPI 3.1 document of the app's routes and zod schemas. Built at build time in Node, with
 * the real generator (scripts/lib/api-document.mjs): `npm run openapi` writes it to openapi.json,
 * the contract the typed client in client/ is built from, and the build to public/openapi.json,
 * which the Worker serves. The Worker's own bundle cannot build it (ADR 0029).
 */
export function apiDocument() {
  const app = createApp({ routers: "now" });
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_AUTH, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from `POST /api/auth/login` or `POST /api/auth/refresh`.",
  });
  return withD1Bookmarks(app.getOpenAPI31Document(API_DOCUMENT));
}

type Document = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;

const D1_BOOKMARK = "[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}";
const SERVICE_BOOKMARK = `[a-z][a-z0-9-]{0,31}:${D1_BOOKMARK}`;

// One document serves both shapes (ADR 0041): the monolith's one database answers a plain D1
// bookmark, the services shape's gateway one per service database (`orders:<bm>,products:<bm>`).
const BOOKMARK_SCHEMA = {
  type: "string" as const,
  pattern:
    `^(${D1_BOOKMARK}|${SERVICE_BOOKMARK}` + `(,${SERVICE_BOOKMARK}){0,${MAX_COMPONENTS - 1}})$`,
  example: "0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b",
};

// Every operation but liveness may read or write D1, and so takes and answers a bookmark.
const readsD1 = (path: string) => path.startsWith("/api/") || path === "/health/ready";

/**
 * Declares `x-d1-bookmark` (ADR 0035) once, as a component, on every operation that may read
 * or write D1: a header the gateway handles for all of them, not any one route's schema.
 */
function withD1Bookmarks(document: Document): Document {
  document.components ??= {};
  const { components } = document;
  components.parameters = {
    ...components.parameters,
    D1Bookmark: {
      name: D1_BOOKMARK_HEADER,
      in: "header",
      required: false,
      schema: BOOKMARK_SCHEMA,
      description:
        "Opaque: send back the last `x-d1-bookmark` this API answered the client with. The " +
        "request's reads then see at least that state (the client's own writes), from " +
        "whichever D1 replica answers. One that is not a bookmark this API writes is a 400 " +
        "naming this header.",
    },
  };
  components.headers = {
    ...components.headers,
    D1Bookmark: {
      schema: BOOKMARK_SCHEMA,
      description:
        "The latest D1 bookmark the request knows, when it read or wrote D1; after a command, " +
        "one that covers the command's own write. Opaque: send the last one back as " +
        "`x-d1-bookmark`. Where each service has its own database it holds one bookmark per " +
        "database (`orders:<bookmark>,products:<bookmark>`); a client that sends requests " +
        "concurrently keeps each database's newest (the typed client does).",
    },
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!readsD1(path)) continue;
    for (const operation of Object.values(item as Record<string, unknown>)) {
      const { parameters, responses } = operation as {
        parameters?: unknown[];
        responses?: Record<string, { headers?: Record<string, unknown> }>;
      };
      (operation as { parameters: unknown[] }).parameters = [
        ...(parameters ?? []),
        { $ref: "#/components/parameters/D1Bookmark" },
      ];
      for (const response of Object.values(responses ?? {})) {
        response.headers = {
          ...response.headers,
          [D1_BOOKMARK_HEADER]: { $ref: "#/components/headers/D1Bookmark" },
        };
      }
    }
  }
  return document;
}
