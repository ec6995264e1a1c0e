// The deploy bundle, built exactly as `wrangler deploy` builds it (`--dry-run --outdir`), so that
// what the bundle-size check and the benchmark measure is what production runs.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The environment `npm run deploy` ships. */
export const DEPLOY_ENV = "production";

/**
 * Builds the Worker into `outdir` and returns its JavaScript modules (source maps and the
 * README wrangler writes are left out), the main module first. `flags` go to wrangler as well.
 */
export function buildDeployBundle(outdir, flags = []) {
  const build = spawnSync(
    "wrangler",
    ["deploy", "--dry-run", "--outdir", outdir, "--env", DEPLOY_ENV, ...flags],
    { encoding: "utf8", shell: process.platform === "win32" },
  );
  if (build.error) throw build.error;
  if (build.status !== 0) {
    throw new Error(`wrangler deploy --dry-run failed:\n${build.stdout}\n${build.stderr}`);
  }
  const modules = readdirSync(outdir)
    .filter((name) => /\.(m?js|cjs)$/.test(name))
    .sort((a, b) => Number(b === "index.js") - Number(a === "index.js") || a.localeCompare(b))
    .map((name) => ({
      name,
      path: join(outdir, name),
      contents: readFileSync(join(outdir, name)),
    }));
  if (modules[0]?.name !== "index.js") throw new Error(`No index.js in ${outdir}`);
  return modules;
}
