import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { UserId } from "../domain/user-id.value-object";
import { type AdminGuardDeps, keepingAnAdmin } from "./admin-seats";
import type { RefreshTokenStore } from "./session-tokens";
import type { UserView } from "./user.view";

export interface EraseUserDeps extends AdminGuardDeps {
  readonly refreshTokens: RefreshTokenStore;
}

/**
 * Erases a person (GDPR Art. 17) by deleting their data key in their log (crypto-shredding):
 * every sealed copy of their email and name, in the log, its snapshots and backups, and D1's
 * copy of the events, becomes unreadable. The projection deletes what D1 held of them; the
 * sessions are ended here again, for a login that raced the erasure. Erasing the last active
 * admin is refused (see keepingAnAdmin).
 */
export async function eraseUser(
  deps: EraseUserDeps,
  id: UserId,
): Promise<Result<Committed<UserView>, DomainError>> {
  const outcome = await keepingAnAdmin(deps, id, () => deps.repository.erase(id));
  if (outcome.ok) await deps.refreshTokens.deleteAllOf(id);
  return outcome;
}
