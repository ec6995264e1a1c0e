import type { UserView } from "./user.view";

/** What a client gets on login and on refresh. */
export interface TokenPair {
  readonly tokenType: "Bearer";
  readonly accessToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly refreshToken: string;
}

/**
 * Who a session belongs to and which password it was opened with: the fingerprint of the
 * password hash (`PasswordHasher.fingerprint`). Every token carries it, so a password change
 * ends every session at once, including ones opened by a login racing the change.
 */
export interface SessionSubject {
  readonly user: UserView;
  readonly credentialFingerprint: string;
}

export type RotationOutcome =
  | {
      readonly kind: "rotated";
      readonly userId: string;
      readonly familyId: string;
      readonly credentialFingerprint: string;
    }
  /** The token was already used: someone holds a copy. Its whole family must be revoked. */
  | { readonly kind: "reused"; readonly familyId: string }
  | { readonly kind: "invalid" };

/** Opaque refresh tokens, stored only as hashes and grouped in families (one per login). */
export interface RefreshTokenStore {
  /**
   * A new token in `familyId` (or a new family), unless that family has been revoked: then
   * undefined, so a revocation racing a refresh is never undone by it.
   */
  issue(
    userId: string,
    credentialFingerprint: string,
    familyId?: string,
  ): Promise<string | undefined>;
  /** Marks the token used, atomically: of two concurrent rotations, one sees "reused". */
  rotate(token: string): Promise<RotationOutcome>;
  revokeFamily(familyId: string): Promise<void>;
  revokeFamilyOf(token: string): Promise<void>;
  revokeAllOf(userId: string): Promise<void>;
}

/** Signs short-lived access tokens. */
export interface AccessTokenIssuer {
  issue(subject: SessionSubject): Promise<{ accessToken: string; expiresIn: number }>;
}

export interface SessionDeps {
  readonly refreshTokens: RefreshTokenStore;
  readonly accessTokens: AccessTokenIssuer;
}

/** A token pair for `subject`, continuing `familyId` or starting a new family. */
export async function issueTokenPair(
  deps: SessionDeps,
  subject: SessionSubject,
  familyId?: string,
): Promise<TokenPair | undefined> {
  const refreshToken = await deps.refreshTokens.issue(
    subject.user.id,
    subject.credentialFingerprint,
    familyId,
  );
  if (refreshToken === undefined) return undefined;
  const access = await deps.accessTokens.issue(subject);
  return { tokenType: "Bearer", ...access, refreshToken };
}
