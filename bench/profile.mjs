// CPU profiles of the API's isolate while the bench's load runs, attributed to the steps of a
// request (`npm run bench:profile`, docs/benchmarks.md). The profile is taken over workerd's
// inspector (Chrome DevTools Protocol, `Profiler.start`/`stop`), one isolate per Worker: the
// app and its Durable Objects run in the same one. Each sample's stack is mapped through the
// bundle's source map to source files and charged to a step (see APP_STEPS).
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";

/**
 * Steps, by the source path of a frame (as the source map names it). A sample goes to the
 * innermost frame of its stack that names an app step (a library called from an app step is
 * that step's cost: drizzle building the projection's SQL is the projection's); only when no
 * frame does, to the innermost library step. D1 is the exception: its client is charged as
 * itself wherever it is called from. Library files that only one step uses (JWT verification,
 * the request validator) are named as that step.
 */
const D1_STEP = ["D1 client and local D1", /^cloudflare-internal:d1-api/];
export const APP_STEPS = [
  [
    "JWT and caller check",
    /users\/(http\/authentication\.middleware|infrastructure\/(jwt-|pbkdf2|d1-user\.repository))|hono\/dist\/utils\/jwt|hono\/dist\/jwt/,
  ],
  ["validation", /@hono\/zod-openapi|hono\/dist\/validator|\.schemas\.ts/],
  ["RPC client", /eventlog\/event-log\.client\.ts/],
  ["decide (domain)", /modules\/[^/]+\/domain\//],
  ["append, command-id row (SQLite)", /eventlog\/event-store\.ts/],
  [
    "projection",
    /eventlog\/(projection|unique-claims)\.ts|upsert-newer|aggregate-definition\.ts|\.view\.ts/,
  ],
  ["object: queue, alarm, view", /eventlog\/event-log\.do\.ts/],
  ["logging and metrics", /middleware\/request-log\.ts|\/src\/metrics\//],
  ["read query", /application\/product-queries|d1-product\.repository|prepared-query/],
  ["gateway middleware", /\/src\/gateway\//],
  ["route handler", /modules\/[^/]+\/http\//],
];
const LIBRARY_STEPS = [
  // drizzle's sources are mapped as node_modules/src/...
  ["drizzle (elsewhere)", /drizzle-orm|node_modules\/src\//],
  ["zod (elsewhere)", /node_modules\/zod\//],
  ["framework (hono)", /node_modules\/hono\//],
  ["workerd's own JavaScript (tracing, RPC)", /^cloudflare-internal:|^node-internal:/],
];

const RUNTIME = {
  "(garbage collector)": "runtime: garbage collection",
  "(program)": "runtime: outside JavaScript (workerd, V8)",
};

/** Talks CDP to one isolate of workerd's inspector. */
async function connect(inspectorUrl, workerName) {
  const socket = new WebSocket(`${inspectorUrl.href.replace(/\/$/, "")}/core:user:${workerName}`);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(JSON.stringify(message.error)));
    else waiting.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}

/** Profiles `workerName`'s isolate while `load()` runs; returns the profile and load's result. */
export async function profileWhile({ inspectorUrl, workerName, intervalUs = 200, load }) {
  const session = await connect(inspectorUrl, workerName);
  try {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await session.send("Profiler.start");
    const result = await load();
    const { profile } = await session.send("Profiler.stop");
    return { profile, result };
  } finally {
    session.close();
  }
}

/** Maps a generated position of the bundle to its source path. */
function sourceOf(sourceMaps, url, line, column) {
  const name = url.split("/").pop();
  const map = sourceMaps.get(name);
  if (!map) return url;
  return map.findEntry(line, column)?.originalSource ?? url;
}

/** Milliseconds of CPU per step (see APP_STEPS for which frame a sample is charged to). */
export function attribute(profile, sourceMaps) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const stepOf = new Map();
  // { step, tier }: tier 0 is final (D1, the runtime), 1 an app step, 2 a library step.
  const frameStep = (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (RUNTIME[functionName]) return { step: RUNTIME[functionName], tier: 0 };
    if (!url) return undefined;
    const source = sourceOf(sourceMaps, url, lineNumber, columnNumber);
    if (D1_STEP[1].test(source)) return { step: D1_STEP[0], tier: 0 };
    const app = APP_STEPS.find(([, pattern]) => pattern.test(source));
    if (app) return { step: app[0], tier: 1 };
    const library = LIBRARY_STEPS.find(([, pattern]) => pattern.test(source));
    return library && { step: library[0], tier: 2 };
  };
  const classify = (id) => {
    if (stepOf.has(id)) return stepOf.get(id);
    const own = frameStep(nodes.get(id));
    let result = own;
    if (!own || own.tier === 2) {
      const parent = parents.get(id);
      const outer = parent === undefined ? undefined : classify(parent);
      if (outer && (outer.tier < 2 || !own)) result = outer;
    }
    stepOf.set(id, result);
    return result;
  };
  const ms = new Map();
  const { samples, timeDeltas } = profile;
  for (let index = 0; index < samples.length; index++) {
    // A sample's delta is the time since the previous one: charge it to the later sample.
    const node = nodes.get(samples[index]);
    if (node.callFrame.functionName === "(idle)") continue;
    const step = classify(samples[index])?.step ?? "other JavaScript";
    ms.set(step, (ms.get(step) ?? 0) + (timeDeltas[index] ?? 0) / 1000);
  }
  return ms;
}

/** The bundle's source maps by the name of the module they map. */
export function loadSourceMaps(bundle) {
  const maps = new Map();
  for (const module of bundle) {
    try {
      maps.set(module.name, new SourceMap(JSON.parse(readFileSync(`${module.path}.map`, "utf8"))));
    } catch {
      // a module without a map is attributed by its own name
    }
  }
  return maps;
}

const order = [
  D1_STEP[0],
  ...APP_STEPS.map(([step]) => step),
  ...LIBRARY_STEPS.map(([step]) => step),
  "other JavaScript",
  ...Object.values(RUNTIME),
];

/** One table: µs of CPU per request for each step of each profiled path. */
export function printProfiles(profiles) {
  console.log(
    `\n| step | ${profiles.map((p) => `${p.path} µs/request`).join(" | ")} |\n` +
      `| --- | ${profiles.map(() => "---:").join(" | ")} |`,
  );
  const perRequest = (p, step) => ((p.ms.get(step) ?? 0) * 1000) / p.requests;
  for (const step of order) {
    if (profiles.every((p) => !p.ms.get(step))) continue;
    console.log(`| ${step} | ${profiles.map((p) => perRequest(p, step).toFixed(0)).join(" | ")} |`);
  }
  const total = (p) => [...p.ms.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(
    `| **total (not idle)** | ${profiles
      .map((p) => `**${((total(p) * 1000) / p.requests).toFixed(0)}**`)
      .join(" | ")} |`,
  );
  console.log(
    `| requests profiled | ${profiles.map((p) => `${p.requests} (${p.perSecond.toFixed(0)}/s)`).join(" | ")} |`,
  );
}
