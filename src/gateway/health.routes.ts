import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { D1Session } from "../db/d1-session";
import { pingEventLog } from "../eventlog/event-log.client";
import type { AppEnv } from "./app-env";
import { problemResponse } from "./error-handler";
import { rateLimit } from "./middleware/rate-limit.middleware";
import { problemBody } from "./problem";
import { createRouter } from "./router";
import { EXAMPLE_ANSWER, ProblemSchema, problemResponses } from "./schemas";

// Response schemas: built by the document builder only (see ProblemSchema).
const CheckSchema = z.lazy(() =>
  z.object({
    status: z.enum(["ok", "fail"]),
    durationMs: z.number().openapi({
      description:
        "The dependency's latency: milliseconds from the probe's call to its answer or failure.",
    }),
  }),
);

const READY_EXAMPLE = {
  status: "ok" as const,
  checks: {
    d1: { status: "ok" as const, durationMs: 3 },
    eventLog: { status: "ok" as const, durationMs: 5 },
    jwtSecret: { status: "ok" as const, durationMs: 0 },
    piiMasterKey: { status: "ok" as const, durationMs: 0 },
  },
};

const ReadySchema = z.lazy(() =>
  z
    .object({
      status: z.literal("ok"),
      checks: z.record(z.string(), CheckSchema).openapi({
        description:
          "One entry per dependency (`d1`, `eventLog`, `jwtSecret`, `piiMasterKey`), with its " +
          "latency. In the services shape (ADR 0039) also each service's own, named " +
          "`<service>.<check>` (`users.d1`), each failing when its service does not answer; each " +
          "unqualified entry then fails when it fails in any service.",
      }),
    })
    .openapi("Readiness", { example: READY_EXAMPLE }),
);

const LiveSchema = z.lazy(() =>
  z.object({ status: z.literal("ok") }).openapi("Liveness", { example: { status: "ok" } }),
);

export type Check = z.infer<typeof CheckSchema>;

/** The problem a failed readiness check answers, with its `checks`. */
const NOT_READY = { status: 503, code: "NOT_READY", detail: "A dependency is unavailable." };

/**
 * Runs a probe, timed, and returns its check and what it answered; a failure's message goes to
 * the log, not to the public response.
 */
export async function probed<T>(
  name: string,
  probe: () => Promise<T>,
): Promise<[check: Check, answer: T | undefined]> {
  const started = Date.now();
  try {
    const answer = await probe();
    return [{ status: "ok", durationMs: Date.now() - started }, answer];
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: `readiness check ${name} failed`,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return [{ status: "fail", durationMs: Date.now() - started }, undefined];
  }
}

/** A dependency's probe: resolves when it answers, rejects (with why, for the log) when not. */
export type Probe = () => Promise<unknown>;

/** Runs every probe at once, each timed; a failure's message goes to the log only. */
export async function runProbes(
  probes: Readonly<Record<string, Probe>>,
): Promise<Record<string, Check>> {
  const names = Object.keys(probes);
  const checks = await Promise.all(names.map((name) => probed(name, probes[name] as Probe)));
  return Object.fromEntries(names.map((name, index) => [name, checks[index]?.[0] as Check]));
}

/** The probes of a Worker that holds data: its D1 database and its event-log objects. */
export const storageProbes = (env: Env, d1: D1Session): Record<string, Probe> => ({
  d1: () => d1.db().run(sql`select 1`),
  eventLog: () => pingEventLog(env.EVENT_LOG),
});

/** A probe of a secret: `problem` says why the secret is unusable, or nothing when it is fine. */
export const secretProbe =
  (problem: () => Promise<string | undefined> | string | undefined): Probe =>
  async () => {
    const why = await problem();
    if (why !== undefined) throw new Error(why);
  };

/**
 * The readiness checks of a request, by name (`d1`, `eventLog`, a secret's, a service's): the
 * entry file composes them, so that the gateway imports no module (ADR 0038), and so that the
 * services shape can ask each service for its own (ADR 0039).
 */
export type ReadinessChecks = (c: Context<AppEnv>) => Promise<Readonly<Record<string, Check>>>;

/** `/health` and `/health/ready`, mounted under `/health`. */
export const buildHealthRoutes = (readiness: ReadinessChecks) =>
  createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        operationId: "getLiveness",
        tags: ["Health"],
        summary: "Liveness: the Worker runs. No I/O.",
        security: [],
        responses: {
          200: { description: "Alive", content: { "application/json": { schema: LiveSchema } } },
        },
      }),
      (c) => c.json({ status: "ok" as const }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/ready",
        operationId: "getReadiness",
        tags: ["Health"],
        summary:
          "Readiness: D1 answers `select 1`, an event-log Durable Object answers a ping, and " +
          "JWT_SECRET and PII_MASTER_KEY are usable. Each check reports that dependency's " +
          "latency. Rate limited per address.",
        security: [],
        middleware: rateLimit((env) => env.READINESS_RATE_LIMITER, "readiness", {
          perNetwork: (env) => env.READINESS_NETWORK_RATE_LIMITER,
        }),
        responses: {
          200: { description: "Ready", content: { "application/json": { schema: ReadySchema } } },
          503: {
            description: "A dependency failed; `checks` says which, each with its latency.",
            content: {
              "application/problem+json": {
                schema: ProblemSchema,
                example: problemBody(
                  {
                    ...NOT_READY,
                    extensions: {
                      checks: {
                        ...READY_EXAMPLE.checks,
                        d1: { status: "fail", durationMs: 30000 },
                      },
                    },
                  },
                  { ...EXAMPLE_ANSWER, instance: "/health/ready" },
                ),
              },
            },
          },
          // 400: an x-d1-bookmark that is not one (ADR 0035).
          ...problemResponses(400, 429, 500),
        },
      }),
      async (c) => {
        const checks = await readiness(c);
        if (Object.values(checks).every((check) => check.status === "ok")) {
          return c.json({ status: "ok" as const, checks }, 200);
        }
        return problemResponse(c, { ...NOT_READY, extensions: { checks } }) as never;
      },
    );
