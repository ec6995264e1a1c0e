// The start-up section of `npm run bench` (alone: `npm run bench -- --only startup`): the CPU the
// Worker spends starting, beside a hello-world of the same stack (bench/startup/), as
// `wrangler check startup` measures it. Both are built once, as deployed, then profiled in
// alternation, so a busy machine weighs on both alike; each pair gives a ratio, and the median
// of the ratios is the figure to compare (ADR 0029).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEPLOY_ENV } from "../scripts/build-bundle.mjs";

/** The goal of issue 15: the API starts in at most this many times the hello-world's CPU. */
export const STARTUP_RATIO_GOAL = 1.25;

const HELLO_WORLD_CONFIG = join(import.meta.dirname, "startup", "hello-world.wrangler.toml");

function wrangler(args) {
  const run = spawnSync("wrangler", args, {
    encoding: "utf8",
    shell: process.platform === "win32",
    env: { ...process.env, CI: "true" },
  });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  }
  return run.stdout;
}

/**
 * A start-up profile's active time in ms: sampled time less idle samples, the "Active" figure
 * `wrangler check startup` prints (garbage collection included), read from the profile it writes.
 */
export function activeMs(profile) {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  let active = 0;
  for (const [index, delta] of (profile.timeDeltas ?? []).entries()) {
    if (names.get(profile.samples[index]) !== "(idle)") active += delta;
  }
  return active / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Builds both Workers into `work` and profiles their start-up `runs` times each. */
export function measureStartup({ work, runs }) {
  const bundles = {
    api: join(work, "api.bundle"),
    hello: join(work, "hello-world.bundle"),
  };
  wrangler(["deploy", "--dry-run", "--outfile", bundles.api, "--env", DEPLOY_ENV]);
  wrangler(["deploy", "--dry-run", "--outfile", bundles.hello, "--config", HELLO_WORLD_CONFIG]);
  const profiled = (name, run) => {
    const outfile = join(work, `${name}-${run}.cpuprofile`);
    // On a busy machine a profile now and then holds no active sample at all (0 ms, seen once
    // in ADR 0032's runs): not a measurement, so it is taken again, up to three times.
    for (let attempt = 0; attempt < 3; attempt++) {
      wrangler(["check", "startup", "--worker", bundles[name], "--outfile", outfile]);
      const active = activeMs(JSON.parse(readFileSync(outfile, "utf8")));
      if (active > 0) return active;
    }
    throw new Error(`${name}'s start-up profile held no active sample three times`);
  };
  const api = [];
  const hello = [];
  for (let run = 0; run < runs; run++) {
    hello.push(profiled("hello", run));
    api.push(profiled("api", run));
  }
  const ratios = api.map((ms, run) => ms / hello[run]);
  return { api, hello, ratios, ratio: median(ratios), apiMs: median(api), helloMs: median(hello) };
}

const ms = (value) => `${value.toFixed(1)} ms`;

export function printStartup(result) {
  const range = (values) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;
  console.log(
    `\nStart-up CPU, \`wrangler check startup\` "Active", median of ${result.api.length} runs each:`,
  );
  console.log(`  API (deploy bundle)       ${ms(result.apiMs)} (${range(result.api)})`);
  console.log(`  hello-world, same stack   ${ms(result.helloMs)} (${range(result.hello)})`);
  console.log(
    `  API/hello-world: ${result.ratio.toFixed(2)} (median of the runs' ratios, ` +
      `${Math.min(...result.ratios).toFixed(2)}–${Math.max(...result.ratios).toFixed(2)})`,
  );
}

/** The summary line of the start-up goal. */
export const startupTarget = (result) => [
  result.ratio <= STARTUP_RATIO_GOAL,
  `start-up ≤ ${STARTUP_RATIO_GOAL}× the hello-world's: ${result.ratio.toFixed(2)}× ` +
    `(${ms(result.apiMs)} against ${ms(result.helloMs)})`,
];
