import { type Probe, secretProbe } from "../../../gateway/health.routes";
import { readJwtConfig } from "../infrastructure/jwt-config";
import { personalDataKeyProblem } from "./personal-data-keys";

/** Readiness probes of the secrets this module reads: JWT_SECRET and PII_MASTER_KEY. */
export const usersSecretProbes = (env: Env): Record<string, Probe> => ({
  jwtSecret: secretProbe(() => {
    const jwt = readJwtConfig(env);
    return jwt.ok ? undefined : jwt.problem;
  }),
  piiMasterKey: secretProbe(() => personalDataKeyProblem(env)),
});
