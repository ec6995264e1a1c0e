import { and, eq, getTableColumns } from "drizzle-orm";
import { openDatabase } from "../../../db/client";
import { eventsOf } from "../../../db/domain-events.queries";
import { after, decodeCursor, orderBy, type SortKey, toPage } from "../../../db/keyset-pagination";
import { eventLogClient } from "../../../eventlog/event-log.client";
import { ok } from "../../../kernel/result";
import type { ListUsersCriteria, UserRepository } from "../application/user.repository";
import type { UserView } from "../application/user.view";
import { PASSWORD_HASH, USER_AGGREGATE } from "./user.aggregate-definition";
import { userCredentials } from "./user-credentials.table";
import { users } from "./users.table";

// UUIDv7 ids sort by creation time, so the id alone is a stable, unique sort key.
const LIST_ORDER: SortKey[] = [{ column: users.id, direction: "asc" }];

/** The user repository over D1 (reads) and the users' event logs (writes). */
export function userRepository(env: Env): UserRepository {
  const db = openDatabase(env.DB);
  const log = eventLogClient(env);

  return {
    findById: (id) => db.select().from(users).where(eq(users.id, id)).get(),

    findByEmail: (email) => db.select().from(users).where(eq(users.email, email)).get(),

    async list({ limit, cursor, status }: ListUsersCriteria) {
      const position = cursor === undefined ? undefined : decodeCursor(cursor, LIST_ORDER.length);
      if (position && !position.ok) return position;
      const rows = await db
        .select()
        .from(users)
        .where(
          and(
            status ? eq(users.status, status) : undefined,
            position ? after(LIST_ORDER, position.value) : undefined,
          ),
        )
        .orderBy(...orderBy(LIST_ORDER))
        .limit(limit + 1);
      return ok(toPage<UserView>(rows, limit, (row) => [row.id]));
    },

    eventsOf: (id, page) => eventsOf(db, USER_AGGREGATE, id, page),

    async findWithPasswordHash(by) {
      const row = await db
        .select({ user: getTableColumns(users), passwordHash: userCredentials.passwordHash })
        .from(users)
        .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
        .where("email" in by ? eq(users.email, by.email) : eq(users.id, by.id))
        .get();
      return row;
    },

    async current(id) {
      // A change to nothing is how the log answers what it holds: no event, the current view.
      const outcome = await log.execute<UserView>(USER_AGGREGATE, id, {
        type: "ChangeUserDetails",
      });
      return outcome.ok ? outcome.value.view : undefined;
    },

    save: (id, command, { expectedVersions, passwordHash } = {}) =>
      log.execute<UserView>(USER_AGGREGATE, id, command, {
        ...(expectedVersions === undefined ? {} : { expectedVersions }),
        ...(passwordHash === undefined ? {} : { sealed: { [PASSWORD_HASH]: passwordHash } }),
      }),

    delete: (id, expectedVersions) =>
      log.execute<UserView>(
        USER_AGGREGATE,
        id,
        { type: "DeactivateUser" },
        expectedVersions === undefined ? {} : { expectedVersions },
      ),
  };
}
