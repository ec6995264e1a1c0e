import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { mountDocsPage } from "./docs-page";
import { BEARER_AUTH } from "./schemas";

/** Serves the OpenAPI 3.1 document built from the routes' zod schemas, and a page to read it. */
export function mountApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_AUTH, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from `POST /api/auth/login` or `POST /api/auth/refresh`.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Edge Commerce API",
      version: "0.1.0",
      description:
        "Users, products and orders on Cloudflare Workers. Errors are RFC 9457 problem documents; " +
        "single resources carry an `ETag` (their version) and honour `If-Match` / `If-None-Match`.",
    },
  });
  mountDocsPage(app);
}
