import { describe, expect, it } from "vitest";
import released from "../../openapi/released.json";
import { api } from "../support/api";

// The rules every operation of the OpenAPI document must follow (TEAM.md), checked over the
// document the Worker serves, so a new route that breaks one fails here.

type Json = Record<string, unknown>;
type MediaType = { schema?: Json; example?: unknown; examples?: Json };
type Response = { content?: Record<string, MediaType> };
type Parameter = { name: string; in: string };
type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, Response>;
};
type Document = {
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const PROBLEM_REF = "#/components/schemas/Problem";

const operationsOf = (document: Pick<Document, "paths">) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );

/** "METHOD /path" of each operation of the last release (openapi/released.json). */
const RELEASED = operationsOf(released as unknown as Document).map(({ name }) => name);

/**
 * The served document's operations. A rule looped over none would pass whatever it says, so
 * this first checks that they are there: at least every operation of the last release.
 */
async function operations() {
  const document = (await (await api("/openapi.json")).json()) as Document;
  const list = operationsOf(document);
  expect(RELEASED.length).toBeGreaterThan(0);
  expect(list.map(({ name }) => name)).toEqual(expect.arrayContaining(RELEASED));
  return { document, list };
}

const schemaOf = (document: Document, schema: Json | undefined): Json | undefined => {
  const ref = schema?.$ref;
  return typeof ref === "string"
    ? document.components.schemas[ref.replace("#/components/schemas/", "")]
    : schema;
};

/** The example a schema shows: its own, or, for a choice of schemas, one of each. */
const exampleOf = (document: Document, schema: Json | undefined): unknown => {
  const resolved = schemaOf(document, schema);
  const choices = (resolved?.anyOf ?? resolved?.oneOf) as Json[] | undefined;
  if (choices) {
    const examples = choices.map((choice) => exampleOf(document, choice));
    return examples.every((example) => example !== undefined) ? examples : undefined;
  }
  return resolved?.example;
};

describe("every operation in the OpenAPI document", () => {
  it("has a unique camelCase verbNoun operationId", async () => {
    const { list } = await operations();
    const ids = list.map(({ name, operation }) => {
      expect(operation.operationId, name).toMatch(/^[a-z]+(?:[A-Z][a-z0-9]*)+$/);
      return operation.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has a summary and tags that the document declares and describes", async () => {
    const { document, list } = await operations();
    const described = new Set(
      (document.tags ?? []).filter((tag) => tag.description).map((tag) => tag.name),
    );
    for (const { name, operation } of list) {
      expect(operation.summary?.trim(), name).toBeTruthy();
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(described, `${name}: ${tag}`).toContain(tag);
    }
  });

  it("states its security, [] when public, and a 401 when it takes a token", async () => {
    const { list } = await operations();
    const taken = { token: 0, public: 0 };
    for (const { name, operation } of list) {
      expect(Array.isArray(operation.security), `${name} has no security`).toBe(true);
      if ((operation.security ?? []).length > 0) {
        taken.token++;
        expect(Object.keys(operation.responses), name).toContain("401");
      } else {
        taken.public++;
      }
    }
    // Both kinds exist (login is public, /api/users/me is not): each branch ran.
    expect(taken.token).toBeGreaterThan(0);
    expect(taken.public).toBeGreaterThan(0);
  });

  it("documents the errors its inputs can cause", async () => {
    const { list } = await operations();
    const taken = { body: 0, pathParameter: 0, ifMatch: 0 };
    for (const { name, operation } of list) {
      const statuses = Object.keys(operation.responses);
      const headers = (operation.parameters ?? []).filter((p) => p.in === "header");
      if (operation.requestBody) {
        taken.body++;
        expect(statuses, name).toEqual(expect.arrayContaining(["400", "413", "415"]));
      }
      if ((operation.parameters ?? []).some((p) => p.in === "path")) {
        taken.pathParameter++;
        expect(statuses, name).toEqual(expect.arrayContaining(["400", "404"]));
      }
      if (headers.some((p) => p.name.toLowerCase() === "if-match")) {
        taken.ifMatch++;
        expect(statuses, name).toContain("412");
      }
    }
    // Each kind of input is in the document (a registration, /users/{id}, a PATCH with If-Match).
    expect(taken.body).toBeGreaterThan(0);
    expect(taken.pathParameter).toBeGreaterThan(0);
    expect(taken.ifMatch).toBeGreaterThan(0);
  });

  it("declares what the gateway answers to any API operation: 500, 503, and 413 and 415 to a body", async () => {
    const { list } = await operations();
    const taken = { api: 0, withBody: 0 };
    for (const { name, operation } of list) {
      if (!name.includes(" /api/")) continue;
      taken.api++;
      const statuses = Object.keys(operation.responses);
      expect(statuses, name).toEqual(expect.arrayContaining(["500", "503"]));
      // A GET carries no body (fetch refuses to send one); every other method may.
      if (!name.startsWith("GET ")) {
        taken.withBody++;
        expect(statuses, name).toEqual(expect.arrayContaining(["413", "415"]));
      }
    }
    expect(taken.api).toBeGreaterThan(taken.withBody);
    expect(taken.withBody).toBeGreaterThan(0);
  });

  it("answers errors with problem documents", async () => {
    const { list } = await operations();
    let errors = 0;
    for (const { name, operation } of list) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        errors++;
        // Problem itself, or a choice that includes it (e.g. a rejected order's richer problem).
        const schema = response.content?.["application/problem+json"]?.schema;
        const choices = (schema?.anyOf ?? schema?.oneOf ?? [schema]) as Json[];
        expect(
          choices.map((choice) => choice?.$ref),
          `${name} ${status}`,
        ).toContain(PROBLEM_REF);
      }
    }
    expect(errors).toBeGreaterThanOrEqual(list.length);
  });

  it("shows an example of every response that has a body", async () => {
    const { document, list } = await operations();
    let bodies = 0;
    for (const { name, operation } of list) {
      expect(
        Object.keys(operation.responses).some((status) => /^[23]/.test(status)),
        name,
      ).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          bodies++;
          const example = media.example ?? media.examples ?? exampleOf(document, media.schema);
          expect(example, `${name} ${status} ${type}`).toBeDefined();
        }
      }
    }
    // Every operation answers some error with a problem document, so at least one body each.
    expect(bodies).toBeGreaterThanOrEqual(list.length);
  });
});

/** Every schema object in the document, with where it is. */
function* schemasIn(node: unknown, at: string): Generator<{ at: string; schema: Json }> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* schemasIn(item, `${at}/${index}`);
  } else if (node && typeof node === "object") {
    yield { at, schema: node as Json };
    for (const [key, value] of Object.entries(node)) yield* schemasIn(value, `${at}/${key}`);
  }
}

const admitsNull = (schema: Json) =>
  schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"));

describe("nullable references in the OpenAPI document", () => {
  it("are anyOf [{$ref}, {type: null}]: no allOf part and no component admits null", async () => {
    const { document } = await operations();
    let nullableReferences = 0;
    for (const { at, schema } of schemasIn(document, "#")) {
      const parts = (schema.allOf ?? []) as Json[];
      // allOf [{$ref: Money}, {type: [object, null]}] is satisfied by no null at all.
      expect(parts.filter(admitsNull), `${at}/allOf`).toEqual([]);
      const choices = (schema.anyOf ?? schema.oneOf ?? []) as Json[];
      if (choices.some((choice) => choice.$ref) && choices.some(admitsNull)) nullableReferences++;
    }
    // A component that admits null says so for every use of it, not only the nullable ones.
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(admitsNull(schema), `component ${name}`).toBe(false);
    }
    // Order.total, OrderLine.unitPrice, OrderLine.lineTotal and OrderLine.refusal at least.
    expect(nullableReferences).toBeGreaterThanOrEqual(4);
  });
});
