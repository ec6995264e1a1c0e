import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Refresh tokens, stored only as SHA-256 hashes. A family is one login's session: its chain of
 * rotations, where each use marks the token rotated and issues the next one in the same family.
 * What the login fixed (its time, its absolute end, its user agent) is copied to every token.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id").notNull(),
    /** The fingerprint of the password hash the session was opened with. */
    credentialFingerprint: text("credential_fingerprint").notNull().default(""),
    /** When this token was issued: the session's last use. */
    createdAt: text("created_at").notNull(),
    /** The session's absolute end, set at login; rotation copies it, never extends it. */
    expiresAt: text("expires_at").notNull(),
    rotatedAt: text("rotated_at"),
    revokedAt: text("revoked_at"),
    /**
     * The password login that began the session, in seconds since the epoch (`auth_time`).
     * Null only on tokens issued before it was recorded; those are no longer accepted.
     */
    authenticatedAt: integer("authenticated_at"),
    /** The User-Agent of that login, so its owner can tell sessions apart. */
    userAgent: text("user_agent"),
  },
  (table) => [
    index("refresh_tokens_family_idx").on(table.familyId),
    index("refresh_tokens_user_idx").on(table.userId),
    index("refresh_tokens_expires_idx").on(table.expiresAt),
    index("refresh_tokens_revoked_idx").on(table.revokedAt),
  ],
);
