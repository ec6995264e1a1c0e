import { and, eq, gt, inArray, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { after, decodeCursor, orderBy, type SortKey, toPage } from "../../../db/keyset-pagination";
import { ok } from "../../../kernel/result";
import type { RefreshTokenStore } from "../application/session-tokens";
import { refreshTokens } from "./refresh-tokens.table";

const TOKEN_BYTES = 32;

/**
 * How long a revoked token is kept before the purge deletes it. Its row is what stops a refresh
 * that raced the revocation from issuing into the family, and such a refresh ends in seconds.
 */
const REVOKED_TOKEN_KEPT_MS = 24 * 60 * 60 * 1000;
/** Rows per purge statement, and statements per run: a run's work stays bounded. */
const PURGE_BATCH = 500;
const PURGE_BATCHES_PER_RUN = 20;

// Newest login first; the family id (unique) breaks ties.
const SESSION_ORDER: SortKey[] = [
  { column: refreshTokens.authenticatedAt, direction: "desc" },
  { column: refreshTokens.familyId, direction: "desc" },
];

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

/** Only this digest is stored: a leaked table cannot be replayed as tokens. */
async function digest(token: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(hash));
}

const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function d1RefreshTokenStore(db: Database): RefreshTokenStore {
  const revokeWhere = (condition: SQL | undefined) =>
    db
      .update(refreshTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(condition, isNull(refreshTokens.revokedAt)));

  /** Deletes the rows matching `condition`, a batch at a time, up to the run's bound. */
  async function deleteWhere(condition: SQL): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
      const matching = db
        .select({ tokenHash: refreshTokens.tokenHash })
        .from(refreshTokens)
        .where(condition)
        .limit(PURGE_BATCH);
      const result = await db
        .delete(refreshTokens)
        .where(inArray(refreshTokens.tokenHash, matching))
        .run();
      deleted += result.meta.changes;
      if (result.meta.changes < PURGE_BATCH) break;
    }
    return deleted;
  }

  return {
    async issue(userId, credentialFingerprint, session) {
      const token = base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
      // One statement, so a revocation of the family can only come wholly before (no insert)
      // or after (it revokes this token too).
      const result = await db.run(sql`
        INSERT INTO refresh_tokens
          (token_hash, family_id, user_id, credential_fingerprint, created_at, expires_at,
           authenticated_at, user_agent)
        SELECT ${await digest(token)}, ${session.id}, ${userId}, ${credentialFingerprint},
               ${new Date().toISOString()}, ${session.expiresAt},
               ${session.authenticatedAt}, ${session.userAgent}
        WHERE NOT EXISTS (
          SELECT 1 FROM refresh_tokens WHERE family_id = ${session.id} AND revoked_at IS NOT NULL
        )`);
      return result.meta.changes === 1 ? token : undefined;
    },

    async rotate(token) {
      const tokenHash = await digest(token);
      const now = new Date().toISOString();
      // One conditional UPDATE: of two concurrent uses, exactly one finds it unused.
      const [claimed] = await db
        .update(refreshTokens)
        .set({ rotatedAt: now })
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.rotatedAt),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, now),
            isNotNull(refreshTokens.authenticatedAt),
          ),
        )
        .returning({
          userId: refreshTokens.userId,
          familyId: refreshTokens.familyId,
          credentialFingerprint: refreshTokens.credentialFingerprint,
          authenticatedAt: refreshTokens.authenticatedAt,
          expiresAt: refreshTokens.expiresAt,
          userAgent: refreshTokens.userAgent,
        });
      if (claimed) {
        return {
          kind: "rotated",
          userId: claimed.userId,
          credentialFingerprint: claimed.credentialFingerprint,
          session: {
            id: claimed.familyId,
            authenticatedAt: claimed.authenticatedAt ?? 0,
            expiresAt: claimed.expiresAt,
            userAgent: claimed.userAgent,
          },
        };
      }
      const known = await db
        .select({ familyId: refreshTokens.familyId, rotatedAt: refreshTokens.rotatedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .get();
      return known?.rotatedAt ? { kind: "reused", familyId: known.familyId } : { kind: "invalid" };
    },

    async revokeFamily(familyId) {
      await revokeWhere(eq(refreshTokens.familyId, familyId));
    },

    async revokeFamilyOf(token) {
      const known = await db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, await digest(token)))
        .get();
      if (known) await revokeWhere(eq(refreshTokens.familyId, known.familyId));
    },

    async revokeAllOf(userId) {
      await revokeWhere(eq(refreshTokens.userId, userId));
    },

    async deleteAllOf(userId) {
      await db.delete(refreshTokens).where(eq(refreshTokens.userId, userId));
    },

    async listActive(userId, { limit, cursor }) {
      const position =
        cursor === undefined ? undefined : decodeCursor(cursor, SESSION_ORDER.length);
      if (position && !position.ok) return position;
      // Each live session has exactly one token that is neither rotated nor revoked: its newest.
      const rows = await db
        .select({
          id: refreshTokens.familyId,
          authenticatedAt: refreshTokens.authenticatedAt,
          lastUsedAt: refreshTokens.createdAt,
          expiresAt: refreshTokens.expiresAt,
          userAgent: refreshTokens.userAgent,
        })
        .from(refreshTokens)
        .where(
          and(
            eq(refreshTokens.userId, userId),
            isNull(refreshTokens.rotatedAt),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, new Date().toISOString()),
            isNotNull(refreshTokens.authenticatedAt),
            position ? after(SESSION_ORDER, position.value) : undefined,
          ),
        )
        .orderBy(...orderBy(SESSION_ORDER))
        .limit(limit + 1);
      const page = toPage(rows, limit, (row) => [row.authenticatedAt ?? 0, row.id]);
      return ok({
        items: page.items.map(({ authenticatedAt, ...row }) => ({
          ...row,
          createdAt: isoSeconds(authenticatedAt ?? 0),
        })),
        nextCursor: page.nextCursor,
      });
    },

    async revokeSessionOf(userId, sessionId) {
      const ofUser = and(eq(refreshTokens.familyId, sessionId), eq(refreshTokens.userId, userId));
      await revokeWhere(ofUser);
      const known = await db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(ofUser)
        .get();
      return known !== undefined;
    },

    async purgeEnded(now) {
      const revokedBefore = new Date(now.getTime() - REVOKED_TOKEN_KEPT_MS).toISOString();
      const expired = await deleteWhere(lte(refreshTokens.expiresAt, now.toISOString()));
      const revoked = await deleteWhere(lte(refreshTokens.revokedAt, revokedBefore));
      return expired + revoked;
    },
  };
}
