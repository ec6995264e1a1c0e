import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";

/**
 * Where the pinned Swagger UI files are served from: Workers Static Assets (public/docs/),
 * outside the Worker's bundle. scripts/docs-assets.mjs copies them there at build time.
 */
const DOCS_ASSETS = "/docs/vendor";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Edge Commerce API</title>
    <link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_ASSETS}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// Only this origin: scripts, styles, the document and "try it" calls. Swagger UI's stylesheet
// draws its icons as inline SVG (data: URLs), which load nothing from anywhere.
const docsSecurityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });

/** `GET /docs`: the API reference page for /openapi.json. */
export function mountDocsPage(app: OpenAPIHono<AppEnv>): void {
  // Made on the page's first request, not at start-up (ADR 0032).
  let securityHeaders: MiddlewareHandler | undefined;
  app.get(
    "/docs",
    (c, next) => {
      securityHeaders ??= docsSecurityHeaders();
      return securityHeaders(c, next);
    },
    (c) => c.html(PAGE),
  );
}
