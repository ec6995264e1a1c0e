import { openDatabase } from "../../../db/client";
import type { MaintenanceJob } from "../../../maintenance/scheduled";
import { purgeIdempotencyKeys } from "./d1-idempotency.store";

/** Forgets idempotency keys after their 24 hours. */
export const purgeIdempotencyKeysJob: MaintenanceJob = {
  name: "purge-idempotency-keys",
  run: (env) => purgeIdempotencyKeys(openDatabase(env.DB)),
};
