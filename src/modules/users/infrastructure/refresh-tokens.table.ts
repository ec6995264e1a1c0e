import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Refresh tokens, stored only as SHA-256 hashes. A family is one login's chain of rotations:
 * each use marks the token rotated and issues the next one in the same family.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id").notNull(),
    /** The fingerprint of the password hash the session was opened with. */
    credentialFingerprint: text("credential_fingerprint").notNull().default(""),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    rotatedAt: text("rotated_at"),
    revokedAt: text("revoked_at"),
  },
  (table) => [
    index("refresh_tokens_family_idx").on(table.familyId),
    index("refresh_tokens_user_idx").on(table.userId),
  ],
);
