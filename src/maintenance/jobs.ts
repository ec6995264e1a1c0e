import { purgeIdempotencyKeysJob, purgeOrderHoldsJob } from "../modules/orders";
import { purgeEndedSessionsJob } from "../modules/users";
import { healReadModelsJob } from "./heal-read-models.job";
import type { MaintenanceJob } from "./scheduled";

/** Every job the cron trigger runs, in no particular order (they run concurrently). */
export const maintenanceJobs: readonly MaintenanceJob[] = [
  healReadModelsJob,
  purgeIdempotencyKeysJob,
  purgeOrderHoldsJob,
  purgeEndedSessionsJob,
];
