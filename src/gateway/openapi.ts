import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { mountDocsPage } from "./docs-page";

/** Where the build writes the OpenAPI document in the static assets (scripts/docs-assets.mjs). */
export const API_DOCUMENT_ASSET = "/openapi.json";

/**
 * `GET /openapi.json`: the OpenAPI document, built from the routes at build time and kept in the
 * static assets, served through the Worker so that it gets the gateway's headers, request id and
 * log line like any answer; and `/docs`, a page to read it.
 */
export function mountApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.get("/openapi.json", async (c) => {
    const asset = await c.env.ASSETS.fetch(new URL(API_DOCUMENT_ASSET, c.req.url));
    // A missing document is a build that did not run its [build] command: a bug, a 500.
    if (!asset.ok) throw new Error(`The OpenAPI document asset answered ${asset.status}`);
    return c.body(await asset.text(), 200, { "content-type": "application/json" });
  });
  mountDocsPage(app);
}
