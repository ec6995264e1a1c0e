import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import honoZodOpenApi from "../node_modules/@hono/zod-openapi/dist/index.mjs?raw";
import * as stub from "../src/zod-to-openapi-stub";
import { api } from "./support/api";

// The Worker runs @hono/zod-openapi over a stub of the OpenAPI generator ([alias] in
// wrangler.toml; the same alias in vitest.config.ts, so every workerd test runs it too).

describe("the zod-to-openapi stub", () => {
  it("exports every name @hono/zod-openapi imports from the generator", () => {
    const imported = /import\s*\{([^}]*)\}\s*from\s*"@asteasolutions\/zod-to-openapi"/.exec(
      honoZodOpenApi,
    )?.[1];
    const names = (imported ?? "").split(",").map((name) => name.trim().split(/\s+as\s+/)[0]);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(Object.keys(stub), name).toContain(name);
  });

  it("is what the tests run: .openapi() gives the schema itself, which validates as before", () => {
    const email = z.email();
    expect(email.openapi({ description: "An address." })).toBe(email);
    expect(email.safeParse("ada@example.com").success).toBe(true);
    expect(email.safeParse("ada").success).toBe(false);
  });

  it("validates a route's request as @hono/zod-openapi does, and builds no document", async () => {
    const app = new OpenAPIHono().openapi(
      createRoute({
        method: "post",
        path: "/things",
        request: {
          body: {
            required: true,
            content: { "application/json": { schema: z.object({ n: z.number().int() }) } },
          },
        },
        responses: { 200: { description: "The thing" } },
      }),
      (c) => c.json(c.req.valid("json"), 200),
    );
    const post = (body: unknown) =>
      app.request("/things", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ n: 2 })).status).toBe(200);
    expect((await post({ n: 2.5 })).status).toBe(400);
    expect(() => app.getOpenAPI31Document({ openapi: "3.1.0", info: {} as never })).toThrow(
      /built at build time/,
    );
  });

  it("leaves /openapi.json to the document built from the code", async () => {
    const response = await api("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(
      Object.keys(((await response.json()) as { paths: object }).paths).length,
    ).toBeGreaterThan(10);
  });
});
