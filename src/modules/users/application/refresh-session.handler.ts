import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { invalidRefreshToken } from "../domain/auth.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { PasswordHasher } from "./password-hasher";
import { issueTokenPair, type SessionDeps, type TokenPair } from "./session-tokens";
import type { UserRepository } from "./user.repository";

export interface RefreshDeps extends SessionDeps {
  readonly repository: UserRepository;
  readonly hasher: PasswordHasher;
}

/**
 * Trades a refresh token for a new pair in the same family (session): its login time and its
 * end carry over unchanged, so refreshing never extends a session nor counts as a login. A
 * token used twice means a copy exists (theft, or a replay): the whole family is revoked, the
 * thief's and the owner's alike.
 * A session opened with a password that has since changed ends here too.
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
  const found = await deps.repository.findWithPasswordHash({ id: rotation.userId as UserId });
  const current = found && (await deps.hasher.fingerprint(found.passwordHash));
  if (found?.user.status !== "active" || current !== rotation.credentialFingerprint) {
    await deps.refreshTokens.revokeFamily(rotation.session.id);
    return err(invalidRefreshToken());
  }
  const pair = await issueTokenPair(deps, {
    user: found.user,
    credentialFingerprint: current,
    session: rotation.session,
  });
  return pair ? ok(pair) : err(invalidRefreshToken());
}

/** Ends the session the token belongs to. Unknown tokens are ignored: logout is idempotent. */
export const logout = (deps: Pick<SessionDeps, "refreshTokens">, refreshToken: string) =>
  deps.refreshTokens.revokeFamilyOf(refreshToken);
