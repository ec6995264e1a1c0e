import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { pingEventLog } from "../eventlog/event-log.client";
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
          "One entry per dependency (`d1`, `eventLog`, `jwtSecret`, `piiMasterKey`), with its latency.",
      }),
    })
    .openapi("Readiness", { example: READY_EXAMPLE }),
);

const LiveSchema = z.lazy(() =>
  z.object({ status: z.literal("ok") }).openapi("Liveness", { example: { status: "ok" } }),
);

type Check = z.infer<typeof CheckSchema>;

/** The problem a failed readiness check answers, with its `checks`. */
const NOT_READY = { status: 503, code: "NOT_READY", detail: "A dependency is unavailable." };

/** Runs a probe; a failure's message goes to the log, not to the public response. */
async function timed(name: string, probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  try {
    await probe();
    return { status: "ok", durationMs: Date.now() - started };
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: `readiness check ${name} failed`,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return { status: "fail", durationMs: Date.now() - started };
  }
}

/**
 * The checks of secrets a module reads, by name: each answers why its secret is unusable, or
 * undefined. The entry file passes them in, so that the gateway imports no module (ADR 0038).
 */
export interface SecretChecks {
  jwtSecret: (env: Env) => string | undefined;
  piiMasterKey: (env: Env) => Promise<string | undefined>;
}

/** `/health` and `/health/ready`, mounted under `/health`. */
export const buildHealthRoutes = (secrets: SecretChecks) =>
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
        const [d1, eventLog, jwtSecret, piiMasterKey] = await Promise.all([
          timed("d1", () => c.var.d1.db().run(sql`select 1`)),
          timed("eventLog", () => pingEventLog(c.env.EVENT_LOG)),
          timed("jwtSecret", async () => {
            const problem = secrets.jwtSecret(c.env);
            if (problem !== undefined) throw new Error(problem);
          }),
          timed("piiMasterKey", async () => {
            const problem = await secrets.piiMasterKey(c.env);
            if (problem !== undefined) throw new Error(problem);
          }),
        ]);
        const checks = { d1, eventLog, jwtSecret, piiMasterKey };
        if (Object.values(checks).every((check) => check.status === "ok")) {
          return c.json({ status: "ok" as const, checks }, 200);
        }
        return problemResponse(c, { ...NOT_READY, extensions: { checks } }) as never;
      },
    );
