import { primarySession } from "../../../db/d1-session";
import type { MaintenanceJob } from "../../../maintenance/scheduled";
import { purgeLapsedHolds } from "./d1-order-holds";

/** Deletes order holds past their expiry: they no longer count, and nothing else removes them. */
export const purgeOrderHoldsJob: MaintenanceJob = {
  name: "purge-order-holds",
  run: (env) => purgeLapsedHolds(primarySession(env.DB).db()),
};
