// The static assets of /docs and /openapi.json, built into public/ (Workers Static Assets):
// - the pinned Swagger UI (the `swagger-ui-dist` devDependency), copied into public/docs/vendor/,
//   so /docs needs no third-party origin and the Worker bundle stays small;
// - the OpenAPI document, built from the routes (scripts/lib/api-document.mjs) into
//   public/openapi.json, which the Worker serves: it builds no document itself (ADR 0029).
// wrangler runs this as the [build] command (dev, deploy, the dry-run build); vitest.config.ts
// runs it before the workerd tests. The files are not committed.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildApiDocument } from "./lib/api-document.mjs";
import { isMain } from "./lib/is-main.mjs";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"];
const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), "..", "public");

/** Copies the files; returns the directory they went to. */
export function copyDocsAssets() {
  const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const target = join(PUBLIC, "docs", "vendor");
  mkdirSync(target, { recursive: true });
  for (const file of FILES) copyFileSync(join(source, file), join(target, file));
  return target;
}

/** Writes the OpenAPI document the code declares to public/openapi.json; returns its path. */
export async function writeApiDocumentAsset() {
  const path = join(PUBLIC, "openapi.json");
  writeFileSync(path, JSON.stringify(await buildApiDocument()));
  return path;
}

if (isMain(import.meta.url)) {
  copyDocsAssets();
  await writeApiDocumentAsset();
}
