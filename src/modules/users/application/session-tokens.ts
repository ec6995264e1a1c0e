import type { Page } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import { newId } from "../../../kernel/ids";
import type { Result } from "../../../kernel/result";
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
 * One login's session (a family of refresh tokens). A password login fixes all of it; refreshes
 * carry it on unchanged, so neither the login time nor the end moves.
 */
export interface Session {
  readonly id: string;
  /** The password login, in seconds since the epoch: the tokens' `auth_time`. */
  readonly authenticatedAt: number;
  /** The absolute end (ISO 8601): `SESSION_MAX_DAYS` after the login. */
  readonly expiresAt: string;
  readonly userAgent: string | null;
}

const USER_AGENT_MAX_LENGTH = 256;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The session a password login at `now` (ms since the epoch) opens. */
export function openSession(input: {
  now: number;
  maxDays: number;
  userAgent: string | undefined;
}): Session {
  const authenticatedAt = Math.floor(input.now / 1000);
  return {
    id: newId(),
    authenticatedAt,
    expiresAt: new Date(authenticatedAt * 1000 + input.maxDays * DAY_MS).toISOString(),
    userAgent: input.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
  };
}

/**
 * Who a session belongs to and which password it was opened with: the fingerprint of the
 * password hash (`PasswordHasher.fingerprint`). Every token carries it, so a password change
 * ends every session at once, including ones opened by a login racing the change.
 */
export interface SessionSubject {
  readonly user: UserView;
  readonly credentialFingerprint: string;
  readonly session: Session;
}

export type RotationOutcome =
  | {
      readonly kind: "rotated";
      readonly userId: string;
      readonly credentialFingerprint: string;
      readonly session: Session;
    }
  /** The token was already used: someone holds a copy. Its whole family must be revoked. */
  | { readonly kind: "reused"; readonly familyId: string }
  | { readonly kind: "invalid" };

/** An active session as its owner sees it. */
export interface SessionListing {
  readonly id: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
}

/** Opaque refresh tokens, stored only as hashes and grouped in families (one per login). */
export interface RefreshTokenStore {
  /**
   * A new token in the session's family, unless that family has been revoked: then undefined,
   * so a revocation racing a refresh is never undone by it.
   */
  issue(
    userId: string,
    credentialFingerprint: string,
    session: Session,
  ): Promise<string | undefined>;
  /** Marks the token used, atomically: of two concurrent rotations, one sees "reused". */
  rotate(token: string): Promise<RotationOutcome>;
  revokeFamily(familyId: string): Promise<void>;
  revokeFamilyOf(token: string): Promise<void>;
  revokeAllOf(userId: string): Promise<void>;
  /** Deletes every token of the user, with the user agents they hold (an erasure). */
  deleteAllOf(userId: string): Promise<void>;
  /** The user's sessions that can still refresh, newest login first. */
  listActive(
    userId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Result<Page<SessionListing>, DomainError>>;
  /** Ends one of the user's sessions; false when the user has no session of that id. */
  revokeSessionOf(userId: string, sessionId: string): Promise<boolean>;
  /** Deletes tokens past their session's end, and those revoked long enough ago. */
  purgeEnded(now: Date): Promise<number>;
}

/** Signs short-lived access tokens. */
export interface AccessTokenIssuer {
  issue(subject: SessionSubject): Promise<{ accessToken: string; expiresIn: number }>;
}

export interface SessionDeps {
  readonly refreshTokens: RefreshTokenStore;
  readonly accessTokens: AccessTokenIssuer;
}

/** A token pair for `subject`, in its session's family. */
export async function issueTokenPair(
  deps: SessionDeps,
  subject: SessionSubject,
): Promise<TokenPair | undefined> {
  const refreshToken = await deps.refreshTokens.issue(
    subject.user.id,
    subject.credentialFingerprint,
    subject.session,
  );
  if (refreshToken === undefined) return undefined;
  const access = await deps.accessTokens.issue(subject);
  return { tokenType: "Bearer", ...access, refreshToken };
}
