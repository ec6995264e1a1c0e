import { purgeIdempotencyKeysJob, purgeOrderHoldsJob } from "../modules/orders";
import { purgeEndedSessionsJob } from "../modules/users";
import { healReadModelsJob } from "./heal-read-models.job";
import { listStreamsFromD1Job } from "./list-streams-from-d1.job";
import type { MaintenanceJob } from "./scheduled";

/** Every job the cron trigger runs, in no particular order (they run concurrently). */
export const maintenanceJobs: readonly MaintenanceJob[] = [
  healReadModelsJob,
  listStreamsFromD1Job,
  purgeIdempotencyKeysJob,
  purgeOrderHoldsJob,
  purgeEndedSessionsJob,
];
