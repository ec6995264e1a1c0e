import type { Page } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { sessionNotFound } from "../domain/auth.errors";
import type { RefreshTokenStore, SessionListing } from "./session-tokens";

export interface SessionView extends SessionListing {
  /** Whether the caller's access token belongs to this session. */
  readonly current: boolean;
}

/** The caller's sessions that can still be refreshed, newest login first. */
export async function listSessions(
  refreshTokens: RefreshTokenStore,
  caller: { userId: string; sessionId: string },
  page: { limit: number; cursor?: string },
): Promise<Result<Page<SessionView>, DomainError>> {
  const sessions = await refreshTokens.listActive(caller.userId, page);
  if (!sessions.ok) return sessions;
  return ok({
    items: sessions.value.items.map((session) => ({
      ...session,
      current: session.id === caller.sessionId,
    })),
    nextCursor: sessions.value.nextCursor,
  });
}

/**
 * Ends one of the caller's sessions: its refresh tokens stop working at once (its access tokens
 * run out within 15 minutes). Ending an ended session again is fine; another user's is unknown.
 */
export async function endSession(
  refreshTokens: RefreshTokenStore,
  caller: { userId: string },
  sessionId: string,
): Promise<Result<void, DomainError>> {
  return (await refreshTokens.revokeSessionOf(caller.userId, sessionId))
    ? ok(undefined)
    : err(sessionNotFound());
}
