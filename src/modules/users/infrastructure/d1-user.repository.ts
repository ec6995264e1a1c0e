import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { D1Session } from "../../../db/d1-session";
import { eventsOf } from "../../../db/domain-events.queries";
import { after, decodeCursor, orderBy, type SortKey, toPage } from "../../../db/keyset-pagination";
import { preparedQuery } from "../../../db/prepared-query";
import { eventLogClient } from "../../../eventlog/event-log.client";
import { ok } from "../../../kernel/result";
import type { ListUsersCriteria, UserRepository } from "../application/user.repository";
import type { UserView } from "../application/user.view";
import { PASSWORD_HASH, USER_AGGREGATE } from "./user.aggregate-definition";
import { userCredentials } from "./user-credentials.table";
import { users } from "./users.table";

// UUIDv7 ids sort by creation time, so the id alone is a stable, unique sort key.
const LIST_ORDER: SortKey[] = [{ column: users.id, direction: "asc" }];

const userById = preparedQuery((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare(),
);

// The user and its password hash, by id (every authenticated request) or by email (login).
const credentialsQuery = (column: typeof users.id | typeof users.email) =>
  preparedQuery((db) =>
    db
      .select({ user: getTableColumns(users), passwordHash: userCredentials.passwordHash })
      .from(users)
      .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
      .where(eq(column, sql.placeholder("key")))
      .prepare(),
  );
const credentialsById = credentialsQuery(users.id);
const credentialsByEmail = credentialsQuery(users.email);

/** The user repository over D1 (reads) and the users' event logs (writes). */
export function userRepository(env: Env, d1: D1Session): UserRepository {
  const db = d1.db();
  const log = eventLogClient(env, d1);

  return {
    findById: (id) => userById(db).get({ id }),

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

    findWithPasswordHash: (by) =>
      "email" in by
        ? credentialsByEmail(db).get({ key: by.email })
        : credentialsById(db).get({ key: by.id }),

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
