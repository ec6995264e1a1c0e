import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import committed from "../../openapi.json";
import { api, BASE } from "../support/api";

type OpenApiDocument = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, unknown>;
        requestBody?: unknown;
        security?: unknown[];
        operationId?: string;
      }
    >
  >;
  components: {
    schemas: Record<string, { additionalProperties?: unknown }>;
    securitySchemes?: Record<string, unknown>;
  };
};

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document of every public endpoint", async () => {
    const response = await api("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /health",
        "GET /health/ready",
        "POST /api/users",
        "GET /api/users",
        "GET /api/users/{id}",
        "PUT /api/users/{id}",
        "PATCH /api/users/{id}",
        "DELETE /api/users/{id}",
        "GET /api/users/{id}/events",
        "GET /api/users/{id}/export",
        "POST /api/users/{id}/erase",
        "GET /api/users/me",
        "POST /api/users/{id}/password",
        "PUT /api/users/{id}/role",
        "POST /api/auth/login",
        "POST /api/auth/refresh",
        "POST /api/auth/logout",
        "GET /api/auth/sessions",
        "DELETE /api/auth/sessions/{id}",
        "POST /api/admin/bootstrap",
        "POST /api/products",
        "GET /api/products",
        "GET /api/products/{id}",
        "PATCH /api/products/{id}",
        "DELETE /api/products/{id}",
        "POST /api/products/{id}/stock",
        "GET /api/products/{id}/events",
        "POST /api/orders",
        "GET /api/orders",
        "GET /api/orders/{id}",
        "POST /api/orders/{id}/cancel",
        "POST /api/orders/{id}/pay",
        "POST /api/orders/{id}/ship",
        "POST /api/orders/{id}/deliver",
        "GET /api/orders/{id}/events",
      ].sort(),
    );
  });

  it("is the openapi.json committed beside the code (npm run openapi writes it)", async () => {
    const served = await (await api("/openapi.json")).json();
    expect(served).toEqual(committed);
  });

  it("comes from the validating schemas: strict bodies refuse extra fields", async () => {
    const document = (await (await api("/openapi.json")).json()) as OpenApiDocument;
    expect(document.components.schemas.RegisterUser?.additionalProperties).toBe(false);
    expect(Object.keys(document.paths["/api/users/{id}"]?.patch?.responses ?? {})).toContain("412");
  });

  it("declares the bearer scheme and which operations need it", async () => {
    const document = (await (await api("/openapi.json")).json()) as OpenApiDocument;
    expect(document.components.securitySchemes?.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    const paths = document.paths;
    expect(paths["/api/users/me"]?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(paths["/api/products"]?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(paths["/api/users"]?.post?.security).toEqual([]);
    expect(paths["/api/auth/login"]?.post?.security).toEqual([]);
    expect(paths["/api/products"]?.get?.security).toEqual([]);
    // Public, but an admin's token shows archived products: the token is optional.
    expect(paths["/api/products/{id}"]?.get?.security).toEqual([{ bearerAuth: [] }, {}]);
  });
});

describe("the operations issue 9 added", () => {
  it("have an operationId, their credentials and their error responses", async () => {
    const { paths, components } = (await (await api("/openapi.json")).json()) as OpenApiDocument;
    expect(paths["/api/admin/bootstrap"]?.post).toMatchObject({
      operationId: "bootstrapAdmin",
      security: [{ adminBootstrapToken: [] }],
    });
    expect(components.securitySchemes?.adminBootstrapToken).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    expect(paths["/api/auth/sessions"]?.get).toMatchObject({
      operationId: "listSessions",
      security: [{ bearerAuth: [] }],
    });
    expect(paths["/api/auth/sessions/{id}"]?.delete).toMatchObject({
      operationId: "endSession",
      security: [{ bearerAuth: [] }],
    });
    const statuses = (path: string, method: string) =>
      Object.keys(paths[path]?.[method]?.responses ?? {});
    expect(statuses("/api/admin/bootstrap", "post")).toEqual(
      expect.arrayContaining(["200", "400", "401", "404", "409", "429"]),
    );
    expect(statuses("/api/users/{id}", "delete")).toEqual(expect.arrayContaining(["401", "409"]));
    expect(statuses("/api/users/{id}/role", "put")).toContain("409");
    expect(statuses("/api/products", "get")).toContain("429");
    expect(statuses("/health/ready", "get")).toContain("429");
  });
});

describe("GET /docs", () => {
  it("serves a reference page that loads only this origin's files", async () => {
    const response = await api("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const page = await response.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([
      "/docs/vendor/swagger-ui.css",
      "/docs/vendor/favicon-32x32.png",
      "/docs/vendor/swagger-ui-bundle.js",
      "/docs/init.js",
    ]);
    expect(page).not.toMatch(/<script>|<style>|\sstyle="|\son[a-z]+="/);
  });

  it("forbids every other origin, inline scripts and framing with its CSP", async () => {
    const csp = (await api("/docs")).headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      csp.split(";").map((part) => {
        const [name = "", ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives).toMatchObject({
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'"],
      "connect-src": ["'self'"],
      "img-src": ["'self'", "data:"],
      "object-src": ["'none'"],
      "frame-ancestors": ["'none'"],
    });
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
  });

  it("has its Swagger UI files in the static assets, outside the Worker bundle", async () => {
    for (const [path, type] of [
      ["/docs/vendor/swagger-ui-bundle.js", /javascript/],
      ["/docs/vendor/swagger-ui.css", /text\/css/],
      ["/docs/init.js", /javascript/],
    ] as const) {
      const response = await env.ASSETS.fetch(`${BASE}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(type);
      await response.arrayBuffer();
    }
    const init = await (await env.ASSETS.fetch(`${BASE}/docs/init.js`)).text();
    expect(init).toContain("persistAuthorization: false");
  });
});
