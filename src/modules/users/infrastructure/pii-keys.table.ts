import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Keys the whole users module shares, each random and wrapped under the key-encryption key
 * derived from PII_MASTER_KEY (ADR 0037): today only the email blind index's key. A master key
 * that cannot unwrap them is a wrong one, which is how readiness tells.
 */
export const piiKeys = sqliteTable("pii_keys", {
  name: text("name").primaryKey(),
  wrappedKey: text("wrapped_key").notNull(),
});
