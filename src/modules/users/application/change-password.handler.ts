import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import { parsePassword } from "../domain/password.value-object";
import type { UserId } from "../domain/user-id.value-object";
import type { PasswordHasher } from "./password-hasher";
import type { RefreshTokenStore } from "./session-tokens";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export interface ChangePasswordDeps {
  readonly repository: UserRepository;
  readonly hasher: PasswordHasher;
  readonly refreshTokens: RefreshTokenStore;
}

/** Replaces the password if the current one matches, then ends every session of the user. */
export async function changePassword(
  deps: ChangePasswordDeps,
  input: { id: UserId; currentPassword: string; newPassword: string },
): Promise<Result<Committed<UserView>, DomainError>> {
  const newPassword = parsePassword(input.newPassword, "newPassword");
  if (!newPassword.ok) return newPassword;
  // The user's log checks the current password against its sealed hash (see the aggregate
  // definition), so the check and the change cannot interleave with another change.
  const outcome = await deps.repository.save(
    input.id,
    { type: "ChangePassword", currentPassword: input.currentPassword },
    { passwordHash: await deps.hasher.hash(newPassword.value) },
  );
  if (outcome.ok) await deps.refreshTokens.revokeAllOf(input.id);
  return outcome;
}
