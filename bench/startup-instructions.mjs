// The start-up comparison of bench/startup.mjs in instructions rather than sampled time, for a
// figure that the machine's load does not move (ADR 0032): `node bench/startup-instructions.mjs
// [--runs 3]`. Each deploy bundle (the API's and the hello-world's, built as bench/startup.mjs
// builds them) is imported by Node under valgrind's callgrind; an empty module's count is taken
// off both, which leaves the bundle's parse, compile and top-level evaluation. Node is not
// workerd, but both are V8 and run the same bundle: it is a steadier proxy for the same ratio.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEPLOY_ENV } from "../scripts/build-bundle.mjs";
import { STARTUP_RATIO_GOAL } from "./startup.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);

function run(command, args) {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

const work = mkdtempSync(join(tmpdir(), "startup-instructions-"));
try {
  const hello = join(import.meta.dirname, "startup", "hello-world.wrangler.toml");
  run("npx", [
    "wrangler",
    "deploy",
    "--dry-run",
    "--outdir",
    join(work, "api"),
    "--env",
    DEPLOY_ENV,
  ]);
  run("npx", [
    "wrangler",
    "deploy",
    "--dry-run",
    "--outdir",
    join(work, "hello"),
    "--config",
    hello,
  ]);
  // Durable Object classes extend the runtime's DurableObject: a stand-in lets Node import them.
  const runtime = join(work, "cloudflare-workers.mjs");
  writeFileSync(
    runtime,
    "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n",
  );
  const bundles = {
    empty: "index.js",
    api: join("api", "index.js"),
    hello: join("hello", "hello-world.worker.js"),
  };
  const modules = {};
  for (const [name, file] of Object.entries(bundles)) {
    const code = name === "empty" ? "export default {};\n" : readFileSync(join(work, file), "utf8");
    modules[name] = join(work, `${name}.mjs`);
    writeFileSync(modules[name], code.replaceAll('"cloudflare:workers"', JSON.stringify(runtime)));
  }
  const instructions = (module) => {
    const { stderr } = run("valgrind", [
      "--tool=callgrind",
      "--callgrind-out-file=/dev/null",
      process.execPath,
      "--single-threaded",
      module,
    ]);
    return Number(/Collected : (\d+)/.exec(stderr)?.[1]);
  };
  const counts = { empty: [], hello: [], api: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(counts)) counts[name].push(instructions(modules[name]));
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const empty = median(counts.empty);
  const api = median(counts.api) - empty;
  const helloWorld = median(counts.hello) - empty;
  const millions = (count) => `${(count / 1e6).toFixed(1)} M`;
  console.log(
    `Start-up instructions in Node (callgrind, median of ${runs}, less an empty module):`,
  );
  console.log(`  API (deploy bundle)       ${millions(api)}`);
  console.log(`  hello-world, same stack   ${millions(helloWorld)}`);
  console.log(`  API/hello-world: ${(api / helloWorld).toFixed(2)} (goal ≤ ${STARTUP_RATIO_GOAL})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
