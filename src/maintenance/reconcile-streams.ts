import { reconcileLog } from "../eventlog/event-log.client";
import { loggableError } from "../kernel/loggable-error";

/** What a run of a healing job did. */
export interface HealTotals {
  reconciled: number;
  restoredEvents: number;
  failed: number;
  /** Whether the run reached the end of what it pages through. */
  wrapped: boolean;
}

export const noTotals = (): HealTotals => ({
  reconciled: 0,
  restoredEvents: 0,
  failed: 0,
  wrapped: false,
});

/**
 * Has each named stream's log reconcile D1 with itself, `concurrency` at a time, and adds up
 * the outcomes in `totals`. A log that fails is logged by name; it retries from its own alarm.
 */
export async function reconcileStreams(
  env: Env,
  job: string,
  streams: readonly string[],
  concurrency: number,
  totals: HealTotals,
): Promise<void> {
  for (let start = 0; start < streams.length; start += concurrency) {
    const group = streams.slice(start, start + concurrency);
    const outcomes = await Promise.allSettled(
      group.map((stream) => reconcileLog(env.EVENT_LOG, stream)),
    );
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === "fulfilled" && outcome.value.upToDate) {
        totals.reconciled++;
        totals.restoredEvents += outcome.value.restoredEvents;
      } else {
        totals.failed++;
        console.error(
          JSON.stringify({
            level: "error",
            message: "could not reconcile a log with D1; its alarm retries",
            job,
            stream: group[index],
            ...(outcome.status === "rejected" ? loggableError(outcome.reason) : {}),
          }),
        );
      }
    }
  }
}

/** The run's one log line (docs/operations.md, "Healing D1 after a restore"). */
export const logRun = (job: string, totals: HealTotals): void => {
  console.log(JSON.stringify({ level: "info", message: "maintenance", job, ...totals }));
};
