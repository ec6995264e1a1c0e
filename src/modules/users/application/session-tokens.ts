import type { UserView } from "./user.view";

/** What a client gets on login and on refresh. */
export interface TokenPair {
  readonly tokenType: "Bearer";
  readonly accessToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly refreshToken: string;
}

export type RotationOutcome =
  | { readonly kind: "rotated"; readonly userId: string; readonly familyId: string }
  /** The token was already used: someone holds a copy. Its whole family must be revoked. */
  | { readonly kind: "reused"; readonly familyId: string }
  | { readonly kind: "invalid" };

/** Opaque refresh tokens, stored only as hashes and grouped in families (one per login). */
export interface RefreshTokenStore {
  /** A new token in `familyId`, or in a new family. */
  issue(userId: string, familyId?: string): Promise<string>;
  /** Marks the token used, atomically: of two concurrent rotations, one sees "reused". */
  rotate(token: string): Promise<RotationOutcome>;
  revokeFamily(familyId: string): Promise<void>;
  revokeFamilyOf(token: string): Promise<void>;
  revokeAllOf(userId: string): Promise<void>;
}

/** Signs short-lived access tokens. */
export interface AccessTokenIssuer {
  issue(user: UserView): Promise<{ accessToken: string; expiresIn: number }>;
}

export interface SessionDeps {
  readonly refreshTokens: RefreshTokenStore;
  readonly accessTokens: AccessTokenIssuer;
}

/** A token pair for `user`, continuing `familyId` or starting a new family. */
export async function issueTokenPair(
  deps: SessionDeps,
  user: UserView,
  familyId?: string,
): Promise<TokenPair> {
  const [access, refreshToken] = await Promise.all([
    deps.accessTokens.issue(user),
    deps.refreshTokens.issue(user.id, familyId),
  ]);
  return { tokenType: "Bearer", ...access, refreshToken };
}
