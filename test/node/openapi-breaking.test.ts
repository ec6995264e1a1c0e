import { describe, expect, it } from "vitest";
import { breakingChanges } from "../../scripts/openapi-breaking.mjs";

// Small documents, one change each, for the checker that guards openapi.json against the last
// released document.

const released = () => ({
  openapi: "3.1.0",
  paths: {
    "/api/things/{id}": {
      get: {
        parameters: [
          { name: "id", in: "path", schema: { type: "string" } },
          { name: "view", in: "query", schema: { enum: ["full", "brief"] } },
        ],
        responses: {
          "200": {
            description: "A thing",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
      delete: { responses: { "204": { description: "Gone" } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: "object",
        properties: {
          id: { type: "string" },
          status: { type: "string", enum: ["active", "archived"] },
          price: {
            type: "object",
            properties: { amount: { type: "integer" }, currency: { type: "string" } },
          },
          tags: { type: "array", items: { type: "string", enum: ["new", "sale"] } },
        },
      },
    },
  },
});

type Doc = ReturnType<typeof released>;
const changed = (edit: (document: Doc) => void) => {
  const document = released();
  edit(document);
  return breakingChanges(released(), document);
};

describe("the breaking-change check", () => {
  it("passes an unchanged document", () => {
    expect(changed(() => {})).toEqual([]);
  });

  it("passes additions: a new operation, field and enum value", () => {
    const changes = changed((document) => {
      Object.assign(document.paths, { "/api/others": { get: { responses: {} } } });
      Object.assign(document.components.schemas.Thing.properties, { name: { type: "string" } });
      document.components.schemas.Thing.properties.status.enum.push("draft");
    });
    expect(changes).toEqual([]);
  });

  it("flags a removed operation", () => {
    expect(
      changed(
        (document) =>
          delete (document.paths["/api/things/{id}"] as Partial<Doc["paths"]["/api/things/{id}"]>)
            .delete,
      ),
    ).toEqual(["DELETE /api/things/{id}: operation removed"]);
  });

  it("flags a removed response field, however deep", () => {
    const changes = changed((document) => {
      const { properties } = document.components.schemas.Thing.properties.price;
      delete (properties as Partial<typeof properties>).currency;
    });
    expect(changes).toEqual([
      "GET /api/things/{id} response 200 (application/json): field .price.currency removed",
    ]);
  });

  it("flags a removed enum value in a response, an array of them, and a parameter", () => {
    const changes = changed((document) => {
      const thing = document.components.schemas.Thing.properties;
      thing.status.enum = ["active"];
      thing.tags.items.enum = ["new"];
      const view = document.paths["/api/things/{id}"].get.parameters[1];
      if (view) view.schema = { enum: ["full"] };
    });
    expect(changes).toEqual([
      'GET /api/things/{id} query parameter view: enum value "brief" removed',
      'GET /api/things/{id} response 200 (application/json) .status: enum value "archived" removed',
      'GET /api/things/{id} response 200 (application/json) .tags[]: enum value "sale" removed',
    ]);
  });

  it("finds nothing breaking between the released document and openapi.json", async () => {
    const { readFile } = await import("node:fs/promises");
    const read = async (path: string) => JSON.parse(await readFile(path, "utf8"));
    expect(
      breakingChanges(await read("openapi/released.json"), await read("openapi.json")),
    ).toEqual([]);
  });
});
