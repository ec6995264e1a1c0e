// Compares openapi.json with the last released document, openapi/released.json, and fails on a
// change that breaks a client written against the release: a removed operation, a removed
// response field, or a removed enum value (in a parameter, a request body or a response).
// Additions are fine. Part of `npm run check`; `npm run openapi:release` moves the baseline.
import { readFileSync } from "node:fs";
import { isMain } from "./lib/is-main.mjs";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const operationsOf = (document) =>
  new Map(
    Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => [
        `${method.toUpperCase()} ${path}`,
        item[method],
      ]),
    ),
  );

const resolve = (document, node) => {
  let current = node;
  for (let hops = 0; current?.$ref && hops < 32; hops++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((parent, key) => parent?.[key], document);
  }
  return current;
};

/**
 * Every field and every enum of a schema, by location (`.items[].price.currency`): fields as
 * a set of locations, enums as location → values. Composition (allOf/anyOf/oneOf) is merged.
 */
function shapeOf(document, schema) {
  const fields = new Set();
  const enums = new Map();
  const visit = (node, at, seen) => {
    if (node?.$ref) {
      if (seen.has(node.$ref)) return;
      return visit(resolve(document, node), at, new Set([...seen, node.$ref]));
    }
    if (!node || typeof node !== "object") return;
    const values = node.enum ?? ("const" in node ? [node.const] : undefined);
    if (values) enums.set(at, new Set([...(enums.get(at) ?? []), ...values.map(String)]));
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      fields.add(`${at}.${name}`);
      visit(property, `${at}.${name}`, seen);
    }
    if (node.items) visit(node.items, `${at}[]`, seen);
    if (typeof node.additionalProperties === "object") {
      visit(node.additionalProperties, `${at}{}`, seen);
    }
    for (const part of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
      visit(part, at, seen);
    }
  };
  visit(schema, "", new Set());
  return { fields, enums };
}

const removedEnumValues = (where, before, after) =>
  [...before.enums].flatMap(([at, values]) =>
    [...values]
      .filter((value) => after.enums.has(at) && !after.enums.get(at).has(value))
      .map((value) => `${[where, at].filter(Boolean).join(" ")}: enum value "${value}" removed`),
  );

/** Each schema an operation reads or writes, by a name that says where it is. */
function schemasOf(document, operation) {
  const schemas = new Map();
  for (const parameter of (operation.parameters ?? []).map((p) => resolve(document, p))) {
    schemas.set(`${parameter.in} parameter ${parameter.name}`, parameter.schema);
  }
  const body = resolve(document, operation.requestBody);
  for (const [type, media] of Object.entries(body?.content ?? {})) {
    schemas.set(`request body (${type})`, media.schema);
  }
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    for (const [type, media] of Object.entries(resolve(document, response)?.content ?? {})) {
      schemas.set(`response ${status} (${type})`, media.schema);
    }
  }
  return schemas;
}

/** The breaking changes from `released` to `current`, one sentence each. */
export function breakingChanges(released, current) {
  const before = operationsOf(released);
  const after = operationsOf(current);
  const changes = [];
  for (const [name, operation] of before) {
    const next = after.get(name);
    if (!next) {
      changes.push(`${name}: operation removed`);
      continue;
    }
    const nextSchemas = schemasOf(current, next);
    for (const [where, schema] of schemasOf(released, operation)) {
      const old = shapeOf(released, schema);
      const now = shapeOf(current, nextSchemas.get(where));
      if (where.startsWith("response")) {
        for (const field of old.fields) {
          if (!now.fields.has(field)) changes.push(`${name} ${where}: field ${field} removed`);
        }
      }
      changes.push(...removedEnumValues(`${name} ${where}`, old, now));
    }
  }
  return changes;
}

function main() {
  const [releasedPath = "openapi/released.json", currentPath = "openapi.json"] =
    process.argv.slice(2);
  const read = (path) => JSON.parse(readFileSync(path, "utf8"));
  const changes = breakingChanges(read(releasedPath), read(currentPath));
  if (changes.length === 0) {
    console.log(`No breaking change from ${releasedPath} to ${currentPath}.`);
    return;
  }
  console.error(`Breaking changes from ${releasedPath} to ${currentPath}:`);
  for (const change of changes) console.error(`  - ${change}`);
  console.error(
    "Keep the old shape beside the new one. A deliberate break ships as a new major version, " +
      "and its release runs `npm run openapi:release` to make it the new baseline.",
  );
  process.exit(1);
}

if (isMain(import.meta.url)) main();
