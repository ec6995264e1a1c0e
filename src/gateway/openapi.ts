import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { mountDocsPage } from "./docs-page";
import { BEARER_AUTH } from "./schemas";

type DocumentConfig = Parameters<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>[0];

/**
 * Everything in the OpenAPI document that is not a route. `npm run openapi` writes the same
 * document to openapi.json, the contract the typed client in client/ is built from.
 */
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

/** Serves the OpenAPI 3.1 document built from the routes' zod schemas, and a page to read it. */
export function mountApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_AUTH, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from `POST /api/auth/login` or `POST /api/auth/refresh`.",
  });
  app.doc31("/openapi.json", API_DOCUMENT);
  mountDocsPage(app);
}
