import { primarySession } from "../../../db/d1-session";
import type { MaintenanceJob } from "../../../maintenance/scheduled";
import { d1RefreshTokenStore } from "./d1-refresh-token.store";

/**
 * Deletes refresh tokens whose session has ended (past its absolute end, or revoked a day ago).
 * Idempotent, and bounded per run; what is left waits for the next run.
 */
export const purgeEndedSessionsJob: MaintenanceJob = {
  name: "purge-ended-sessions",
  async run(env) {
    const purged = await d1RefreshTokenStore(primarySession(env.DB).db()).purgeEnded(new Date());
    console.log(JSON.stringify({ level: "info", message: "purged ended sessions", purged }));
  },
};
