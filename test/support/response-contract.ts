import { type Schema, Validator } from "@cfworker/json-schema";

// The one response validator of the HTTP tests: every response a test receives through the
// support layer (api(), apiWith(), fetchWorker()) is checked against the OpenAPI document the
// Worker serves, so a response that breaks its declared schema, or a status the operation does
// not declare, fails the test that made it. A contract that drifts from the code cannot pass.

type Json = Record<string, unknown>;
type MediaType = { schema?: Json };
type Operation = { responses: Record<string, { content?: Record<string, MediaType> }> };
export type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

/** Served by the Worker but not operations of the API: their bodies are not problem documents. */
const UNDOCUMENTED_RESOURCES = new Set(["/openapi.json", "/docs"]);

const PROBLEM = "#/components/schemas/Problem";
const JSON_TYPES = new Set(["application/json", "application/problem+json"]);

/** Examples are annotations, and validators read an `id` in one as a schema's `$id`. */
function withoutExamples(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutExamples);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "example" && key !== "examples")
      .map(([key, value]) => [key, withoutExamples(value)]),
  );
}

/** `/api/users/{id}` as a pattern of concrete paths. */
const patternOf = (template: string) =>
  new RegExp(
    `^${template
      .split("/")
      .map((part) =>
        /^\{[^}]+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/")}$`,
  );

const placeholders = (template: string) => (template.match(/\{/g) ?? []).length;

export interface ContractChecker {
  /** Throws when `response`, the answer to `method path`, breaks the document. */
  check(method: string, path: string, response: Response): Promise<void>;
}

/** A checker of responses against `document`, an OpenAPI 3.1 document. */
export function contractChecker(document: OpenApiDocument): ContractChecker {
  const components = withoutExamples(document.components) as Json;
  // A literal segment wins over a placeholder (`/api/users/me` over `/api/users/{id}`), as the
  // router matches them.
  const templates = Object.keys(document.paths)
    .map((template) => ({ template, pattern: patternOf(template) }))
    .sort((a, b) => placeholders(a.template) - placeholders(b.template));
  const validators = new Map<string, Validator>();
  const validatorOf = (key: string, schema: Json) => {
    let validator = validators.get(key);
    if (!validator) {
      // `$ref`s point into the document's components, so they go along in the root schema.
      const root = { ...(withoutExamples(schema) as Json), components } as Schema;
      validator = new Validator(root, "2020-12", false);
      validators.set(key, validator);
    }
    return validator;
  };

  /** The operation that answers `method path`, if any (HEAD is GET without a body). */
  const operationOf = (method: string, path: string) => {
    const template = templates.find(({ pattern }) => pattern.test(path))?.template;
    const verb = method === "HEAD" ? "get" : method.toLowerCase();
    const operation = template ? document.paths[template]?.[verb] : undefined;
    return template && operation
      ? { name: `${method.toUpperCase()} ${template}`, operation }
      : undefined;
  };

  /** The schema the operation declares for this status and media type; throws if none. */
  const declaredSchema = (
    { name, operation }: { name: string; operation: Operation },
    status: number,
    type: string | undefined,
  ) => {
    const response = operation.responses[String(status)];
    if (!response) {
      throw new Error(
        `${name} answered ${status}, which it does not declare (it declares ` +
          `${Object.keys(operation.responses).join(", ")})`,
      );
    }
    if (type === undefined) return undefined;
    const schema = response.content?.[type]?.schema;
    if (!schema) {
      throw new Error(
        `${name} answered ${status} as ${type}, but declares ` +
          `${Object.keys(response.content ?? {}).join(", ") || "no body"} for it`,
      );
    }
    return schema;
  };

  return {
    async check(method, path, response) {
      const found = operationOf(method, path);
      const text = method === "HEAD" || response.body === null ? "" : await response.clone().text();
      if (text === "") {
        // 204, 304, HEAD: the status is all there is to check.
        if (found) declaredSchema(found, response.status, undefined);
        return;
      }
      if (!found && UNDOCUMENTED_RESOURCES.has(path) && response.ok) return;
      const type = response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
      if (!JSON_TYPES.has(type)) {
        throw new Error(`${method} ${path} answered ${response.status} as "${type}", not JSON`);
      }
      // An unknown path, or a known one asked with another method (404, 405): a problem.
      const name = found?.name ?? `${method} ${path} (no operation)`;
      const key = found ? `${name} ${response.status} ${type}` : "problem";
      const schema = found ? declaredSchema(found, response.status, type) : { $ref: PROBLEM };
      const result = validatorOf(key, schema as Json).validate(JSON.parse(text));
      if (!result.valid) {
        const errors = result.errors
          .map((error) => `  ${error.instanceLocation} (${error.keywordLocation}): ${error.error}`)
          .slice(0, 12);
        throw new Error(
          `${name} answered ${response.status} with a body that breaks its schema:\n` +
            `${errors.join("\n")}\n${text.slice(0, 2000)}`,
        );
      }
    },
  };
}
