import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { invalidCredentials } from "../domain/auth.errors";
import { parseEmail } from "../domain/email.value-object";
import type { PasswordHasher } from "./password-hasher";
import { issueTokenPair, openSession, type SessionDeps, type TokenPair } from "./session-tokens";
import type { UserRepository } from "./user.repository";

export interface LoginDeps extends SessionDeps {
  readonly repository: UserRepository;
  readonly hasher: PasswordHasher;
  /** How long a session lasts from its login, however often it is refreshed. */
  readonly sessionMaxDays: number;
}

export interface LoginInput {
  readonly email: string;
  readonly password: string;
  readonly userAgent?: string;
}

/**
 * Checks the password and starts a session. Unknown email, wrong password and deactivated
 * account give the same error after the same work, so neither answer nor timing tells which.
 */
export async function login(
  deps: LoginDeps,
  input: LoginInput,
): Promise<Result<TokenPair, DomainError>> {
  const email = parseEmail(input.email);
  const found = email.ok
    ? await deps.repository.findWithPasswordHash({ email: email.value })
    : undefined;
  const passwordMatches = await deps.hasher.verify(input.password, found?.passwordHash);
  if (!found || !passwordMatches || found.user.status !== "active") {
    return err(invalidCredentials());
  }
  const pair = await issueTokenPair(deps, {
    user: found.user,
    credentialFingerprint: await deps.hasher.fingerprint(found.passwordHash),
    session: openSession({
      now: Date.now(),
      maxDays: deps.sessionMaxDays,
      userAgent: input.userAgent,
    }),
  });
  return pair ? ok(pair) : err(invalidCredentials());
}
