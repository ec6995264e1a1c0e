// The deploy bundle (./index.js, copied beside this file by scripts/bench.mjs) behind a bench-only
// wrapper. Nothing here is in production code. The wrapper hands the app and the EventLog object
// an env whose D1 waits BENCH_D1_LATENCY_MS before each call (bench/delayed-d1.js) and whose
// EVENT_LOG stubs time each RPC (bench/timed-rpc.js), and adds two routes:
//   POST /__bench/evict?name=<object name>  resets that object, as an eviction would
//   GET  /__bench/rpc-times                 the RPC times measured since the last read
//   GET  /__bench/d1-calls                  the D1 calls made, and the requests answered, since
//                                           the last read (each with its start and end)

import { delayedD1, takeD1Calls } from "./delayed-d1.js";
import app, { EventLog as AppEventLog } from "./index.js";
import { takeRpcTimes, timedNamespace } from "./timed-rpc.js";

export * from "./index.js";

const benchEnvs = new WeakMap();

/** When each request came and was answered, on the Worker's clock, since the last read. */
const requests = [];

/** `env` with D1 `latency` ms away and recorded as made by `source()`, and the event log timed. */
function delayedEnv(env, source) {
  const latency = Number(env.BENCH_D1_LATENCY_MS ?? 0);
  return {
    ...env,
    DB: latency > 0 ? delayedD1(env.DB, latency, source) : env.DB,
    EVENT_LOG: timedNamespace(env.EVENT_LOG),
  };
}

/** The env the app sees: the same bindings, with D1 delayed and the event log timed. */
function benchEnv(env) {
  let wrapped = benchEnvs.get(env);
  if (!wrapped) {
    wrapped = delayedEnv(env, () => "worker");
    benchEnvs.set(env, wrapped);
  }
  return wrapped;
}

export class EventLog extends AppEventLog {
  constructor(ctx, env) {
    // Each object's D1 calls say whether its alarm made them: an alarm's work (a projection
    // retry, a reconciliation) is no request's, even when it runs while one is answered.
    const alarms = { running: 0 };
    super(
      ctx,
      delayedEnv(env, () => (alarms.running > 0 ? "alarm" : "object")),
    );
    this.benchAlarms = alarms;
  }

  async alarm(...args) {
    this.benchAlarms.running++;
    try {
      return await super.alarm(...args);
    } finally {
      this.benchAlarms.running--;
    }
  }

  /** Throws away the object's in-memory state; the next call constructs and loads it afresh. */
  benchEvict() {
    this.ctx.abort("evicted by the benchmark");
  }
}

async function benchRoute(request, env, pathname) {
  if (pathname === "/__bench/rpc-times") return Response.json(takeRpcTimes());
  if (pathname === "/__bench/d1-calls") {
    return Response.json({ calls: takeD1Calls(), requests: requests.splice(0, requests.length) });
  }
  if (pathname === "/__bench/evict" && request.method === "POST") {
    const name = new URL(request.url).searchParams.get("name") ?? "";
    try {
      await env.EVENT_LOG.get(env.EVENT_LOG.idFromName(name)).benchEvict();
    } catch {
      // abort() rejects the call that made it: the expected outcome.
    }
    return new Response(null, { status: 204 });
  }
  return new Response(null, { status: 404 });
}

/** Answers a request through `handle`, recording when it came and when it was answered. */
async function answered(path, handle) {
  const started = Date.now();
  try {
    return await handle();
  } finally {
    if (requests.length >= 1000) requests.shift();
    requests.push({ path, started, ended: Date.now() });
  }
}

export default {
  ...app,
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/__bench/")) return benchRoute(request, env, pathname);
    return answered(pathname, () => app.fetch(request, benchEnv(env), ctx));
  },
  scheduled(controller, env, ctx) {
    return app.scheduled(controller, benchEnv(env), ctx);
  },
};
