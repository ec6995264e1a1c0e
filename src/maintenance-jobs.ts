// Beside the entry file, not in maintenance/: the modules use maintenance's job type, so the list
// of their jobs is composed here (ADR 0038).

import { healReadModelsJob } from "./maintenance/heal-read-models.job";
import { listStreamsFromD1Job } from "./maintenance/list-streams-from-d1.job";
import type { MaintenanceJob } from "./maintenance/scheduled";
import { purgeIdempotencyKeysJob, purgeOrderHoldsJob } from "./modules/orders";
import { purgeEndedSessionsJob } from "./modules/users";

/** Every job the cron trigger runs, in no particular order (they run concurrently). */
export const maintenanceJobs: readonly MaintenanceJob[] = [
  healReadModelsJob,
  listStreamsFromD1Job,
  purgeIdempotencyKeysJob,
  purgeOrderHoldsJob,
  purgeEndedSessionsJob,
];
