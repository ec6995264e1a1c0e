// Copies the pinned Swagger UI (the `swagger-ui-dist` devDependency) into public/docs/vendor/,
// the Workers Static Assets directory, so /docs needs no third-party origin and the Worker
// bundle stays small. wrangler runs it as the [build] command (dev, deploy, the dry-run build);
// vitest.config.ts runs it before the workerd tests. The copies are not committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMain } from "./lib/is-main.mjs";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"];

/** Copies the files; returns the directory they went to. */
export function copyDocsAssets() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const target = join(root, "public", "docs", "vendor");
  mkdirSync(target, { recursive: true });
  for (const file of FILES) copyFileSync(join(source, file), join(target, file));
  return target;
}

if (isMain(import.meta.url)) copyDocsAssets();
