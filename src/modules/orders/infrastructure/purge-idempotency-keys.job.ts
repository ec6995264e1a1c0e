import { primarySession } from "../../../db/d1-session";
import type { MaintenanceJob } from "../../../maintenance/scheduled";
import { purgeIdempotencyKeys } from "./d1-idempotency.store";

/** Forgets idempotency keys after their 24 hours. */
export const purgeIdempotencyKeysJob: MaintenanceJob = {
  name: "purge-idempotency-keys",
  run: (env) => purgeIdempotencyKeys(primarySession(env.DB).db()),
};
