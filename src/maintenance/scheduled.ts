import { loggableError } from "../kernel/loggable-error";

/**
 * One piece of periodic upkeep run by the cron trigger (`[triggers]` in wrangler.toml). A job
 * must be idempotent and bounded: the trigger may fire twice, and a run has a CPU budget.
 */
export interface MaintenanceJob {
  readonly name: string;
  run(env: Env): Promise<void>;
}

/**
 * The Worker's `scheduled` handler: runs every job, each on its own, so one failing job does
 * not starve the others; a failure is logged and then rethrown so the run shows as failed.
 */
export async function runMaintenance(env: Env, jobs: readonly MaintenanceJob[]): Promise<void> {
  const outcomes = await Promise.allSettled(jobs.map((job) => job.run(env)));
  const failed = outcomes.flatMap((outcome, index) =>
    outcome.status === "rejected" ? [{ job: jobs[index]?.name, reason: outcome.reason }] : [],
  );
  for (const { job, reason } of failed) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "maintenance job failed",
        job,
        // Never the message: a failed query's message carries its bound values.
        ...loggableError(reason),
      }),
    );
  }
  if (failed.length > 0) throw new Error(`${failed.length} maintenance job(s) failed`);
}
