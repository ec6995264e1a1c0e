import { describe, expect, it } from "vitest";
import { api } from "../support/api";

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
    expect(paths["/api/users"]?.post?.security).toBeUndefined();
    expect(paths["/api/auth/login"]?.post?.security).toBeUndefined();
    expect(paths["/api/products"]?.get?.security).toBeUndefined();
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
  it("serves an API reference page for the document", async () => {
    const response = await api("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toContain("/openapi.json");
  });
});
