// The OpenAPI document, built in Node from the same routes and zod schemas the Worker runs, with
// the real generator (@asteasolutions/zod-to-openapi, which the Worker's bundle replaces with a
// stub: ADR 0029). esbuild bundles src/openapi-document.ts for Node: the gateway needs
// no Workers runtime to describe itself. `npm run openapi` writes it to openapi.json; the build
// (scripts/docs-assets.mjs) writes it to public/openapi.json, which the Worker serves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The document the code declares, as a plain object. */
export async function buildApiDocument() {
  const dir = mkdtempSync(join(tmpdir(), "openapi-"));
  try {
    const outfile = join(dir, "document.mjs");
    await build({
      stdin: {
        contents: `import { apiDocument } from "./src/openapi-document";
          export default apiDocument();`,
        resolveDir: ROOT,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "warning",
    });
    return (await import(pathToFileURL(outfile).href)).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
