import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { err, type Result } from "../../../kernel/result";
import { wrongCurrentPassword } from "../domain/auth.errors";
import { parsePassword } from "../domain/password.value-object";
import { userNotFound } from "../domain/user.errors";
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

/** Replaces the password after checking the current one, then ends every session of the user. */
export async function changePassword(
  deps: ChangePasswordDeps,
  input: { id: UserId; currentPassword: string; newPassword: string },
): Promise<Result<Committed<UserView>, DomainError>> {
  const newPassword = parsePassword(input.newPassword, "newPassword");
  if (!newPassword.ok) return newPassword;
  const storedHash = await deps.repository.passwordHashOf(input.id);
  const matches = await deps.hasher.verify(input.currentPassword, storedHash);
  if (storedHash === undefined) return err(userNotFound());
  if (!matches) return err(wrongCurrentPassword());
  const outcome = await deps.repository.save(
    input.id,
    { type: "ChangePassword" },
    { passwordHash: await deps.hasher.hash(newPassword.value) },
  );
  if (outcome.ok) await deps.refreshTokens.revokeAllOf(input.id);
  return outcome;
}
