import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { invalidRefreshToken } from "../domain/auth.errors";
import type { UserId } from "../domain/user-id.value-object";
import { issueTokenPair, type SessionDeps, type TokenPair } from "./session-tokens";
import type { UserRepository } from "./user.repository";

export interface RefreshDeps extends SessionDeps {
  readonly repository: UserRepository;
}

/**
 * Trades a refresh token for a new pair in the same family. A token used twice means a copy
 * exists (theft, or a replay): the whole family is revoked, the thief's and the owner's alike.
 */
export async function refreshSession(
  deps: RefreshDeps,
  refreshToken: string,
): Promise<Result<TokenPair, DomainError>> {
  const rotation = await deps.refreshTokens.rotate(refreshToken);
  if (rotation.kind === "invalid") return err(invalidRefreshToken());
  if (rotation.kind === "reused") {
    await deps.refreshTokens.revokeFamily(rotation.familyId);
    return err(invalidRefreshToken());
  }
  const user = await deps.repository.findById(rotation.userId as UserId);
  if (user?.status !== "active") {
    await deps.refreshTokens.revokeFamily(rotation.familyId);
    return err(invalidRefreshToken());
  }
  return ok(await issueTokenPair(deps, user, rotation.familyId));
}

/** Ends the session the token belongs to. Unknown tokens are ignored: logout is idempotent. */
export const logout = (deps: Pick<SessionDeps, "refreshTokens">, refreshToken: string) =>
  deps.refreshTokens.revokeFamilyOf(refreshToken);
