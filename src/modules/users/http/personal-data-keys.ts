import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { HttpProblem } from "../../../gateway/problem";
import { emailIndexKey, PersonalDataKeyUnavailable } from "../infrastructure/email-index";

/**
 * Whether PII_MASTER_KEY is usable: set, long enough, and the key the stored keys were wrapped
 * under (it unwraps the email blind index's key). Resolves to the problem, for readiness.
 */
export async function personalDataKeyProblem(env: Env): Promise<string | undefined> {
  try {
    await emailIndexKey(env);
    return undefined;
  } catch (error) {
    if (error instanceof PersonalDataKeyUnavailable) return error.problem;
    throw error;
  }
}

/**
 * For a route that seals, opens or looks up personal data: without a usable PII_MASTER_KEY it
 * answers 503 before anything is read or written, so nothing is ever stored or shown in plain
 * text for want of the key. The reason goes to the operator through readiness, which logs it.
 */
export async function requirePersonalDataKeys(c: Context<AppEnv>): Promise<void> {
  if ((await personalDataKeyProblem(c.env)) === undefined) return;
  throw new HttpProblem({
    status: 503,
    code: "PII.KEY_UNAVAILABLE",
    detail: "Personal data cannot be read or written now.",
  });
}
