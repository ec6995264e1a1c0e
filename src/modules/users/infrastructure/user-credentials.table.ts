import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Password hashes, projected from the sealed values kept beside each user's log so that login
 * can check a password with one D1 read. Nothing here is ever returned by the API.
 */
export const userCredentials = sqliteTable("user_credentials", {
  userId: text("user_id").primaryKey(),
  passwordHash: text("password_hash").notNull(),
  /** The user's version when this hash was projected; older projections never overwrite it. */
  version: integer("version").notNull(),
});
