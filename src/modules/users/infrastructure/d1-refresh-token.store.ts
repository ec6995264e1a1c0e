import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { newId } from "../../../kernel/ids";
import type { RefreshTokenStore } from "../application/session-tokens";
import { refreshTokens } from "./refresh-tokens.table";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const TOKEN_BYTES = 32;

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

export function d1RefreshTokenStore(db: Database): RefreshTokenStore {
  const revokeWhere = (condition: ReturnType<typeof eq>) =>
    db
      .update(refreshTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(condition, isNull(refreshTokens.revokedAt)));

  return {
    async issue(userId, credentialFingerprint, familyId = newId()) {
      const token = base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
      const now = Date.now();
      // One statement, so a revocation of the family can only come wholly before (no insert)
      // or after (it revokes this token too).
      const result = await db.run(sql`
        INSERT INTO refresh_tokens
          (token_hash, family_id, user_id, credential_fingerprint, created_at, expires_at)
        SELECT ${await digest(token)}, ${familyId}, ${userId}, ${credentialFingerprint},
               ${new Date(now).toISOString()},
               ${new Date(now + REFRESH_TOKEN_TTL_SECONDS * 1000).toISOString()}
        WHERE NOT EXISTS (
          SELECT 1 FROM refresh_tokens WHERE family_id = ${familyId} AND revoked_at IS NOT NULL
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
          ),
        )
        .returning({
          userId: refreshTokens.userId,
          familyId: refreshTokens.familyId,
          credentialFingerprint: refreshTokens.credentialFingerprint,
        });
      if (claimed) return { kind: "rotated", ...claimed };
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
  };
}
