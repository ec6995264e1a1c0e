// `npm run check` step: the deploy bundle, gzipped, must stay within its budget (ADR 0017, lowered
// by ADR 0029 to 140 KiB, held there by ADR 0037).
// Measured as wrangler measures it: the gzip of the JavaScript `wrangler deploy --dry-run
// --outdir` writes. Prints the size, the budget and the biggest packages, to show where to cut.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildDeployBundle } from "./build-bundle.mjs";

const BUDGET_BYTES = 140 * 1024;
const TOP_PACKAGES = 6;

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Minified bytes per package (or per src/ folder), from esbuild's metafile. */
function bytesByPackage(metafile) {
  const [output] = Object.entries(metafile.outputs).filter(([path]) => path.endsWith(".js"));
  const totals = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    const inPackage = input.split("node_modules/").at(-1);
    const name = input.includes("node_modules/")
      ? inPackage
          .split("/")
          .slice(0, inPackage.startsWith("@") ? 2 : 1)
          .join("/")
      : input.split("/").slice(0, 2).join("/");
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].sort(([, a], [, b]) => b - a);
}

const outdir = mkdtempSync(join(tmpdir(), "bundle-size-"));
try {
  const metafilePath = join(outdir, "meta.json");
  const modules = buildDeployBundle(outdir, ["--metafile", metafilePath]);
  const metafile = JSON.parse(readFileSync(metafilePath, "utf8"));
  const gzipBytes = gzipSync(Buffer.concat(modules.map((module) => module.contents))).byteLength;
  const share = Math.round((gzipBytes / BUDGET_BYTES) * 100);
  console.log(
    `Deploy bundle: ${kib(gzipBytes)} gzip (${gzipBytes} bytes), ${share}% of the ` +
      `${kib(BUDGET_BYTES)} budget. Largest parts, minified:`,
  );
  for (const [name, bytes] of bytesByPackage(metafile).slice(0, TOP_PACKAGES)) {
    console.log(`  ${kib(bytes).padStart(10)}  ${name}`);
  }
  // The alias in wrangler.toml keeps zod's other locales out; it matches a path inside zod, so
  // a zod upgrade that moves it would bring back 38 KiB gzip without any other sign.
  const strays = Object.keys(metafile.inputs).filter(
    (input) => input.includes("node_modules/zod/") && /\/locales\/(?!en\.js$)/.test(input),
  );
  if (strays.length > 0) {
    console.error(`zod locales other than English are bundled (${strays.length}): check [alias].`);
    process.exitCode = 1;
  }
  // The same for the OpenAPI generator, which [alias] replaces with a stub (ADR 0029): a path
  // that stopped matching would bring it back, and the per-schema copies it makes at start-up.
  const generator = Object.keys(metafile.inputs).filter((input) =>
    input.includes("node_modules/@asteasolutions/zod-to-openapi/"),
  );
  if (generator.length > 0) {
    console.error("The OpenAPI generator is bundled: check [alias] (ADR 0029).");
    process.exitCode = 1;
  }
  // And zod's JSON Schema → zod converter, which the `z` namespace re-exports and [alias] stubs.
  if (
    Object.keys(metafile.inputs).some((input) =>
      input.endsWith("zod/v4/classic/from-json-schema.js"),
    )
  ) {
    console.error("zod's fromJSONSchema is bundled: check [alias] (ADR 0017).");
    process.exitCode = 1;
  }
  if (gzipBytes > BUDGET_BYTES) {
    console.error(`Over budget by ${kib(gzipBytes - BUDGET_BYTES)}: see docs/adr/0017.`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
