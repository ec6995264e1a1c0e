import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app";
import type { AppEnv } from "./app-env";
import { BEARER_AUTH } from "./schemas";

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
  return app.getOpenAPI31Document(API_DOCUMENT);
}
