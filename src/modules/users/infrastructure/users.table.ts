import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { UserRole } from "../domain/user-role";
import type { UserStatus } from "../domain/user-status";

/**
 * The users read model. Email is indexed but not unique here: uniqueness is enforced by
 * unique_claims before an event is appended, and a unique index would make projections of two
 * users depend on each other's order.
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    /** The email's blind index (ADR 0037): what login and the admin bootstrap look up. */
    emailIndex: text("email_index"),
    name: text("name").notNull(),
    status: text("status").$type<UserStatus>().notNull(),
    role: text("role").$type<UserRole>().notNull().default("customer"),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("users_email_idx").on(table.email),
    index("users_email_index_idx").on(table.emailIndex),
    index("users_status_id_idx").on(table.status, table.id),
  ],
);
