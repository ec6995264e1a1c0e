import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { D1Session } from "../../../db/d1-session";
import { eventsOf } from "../../../db/domain-events.queries";
import { after, decodeCursor, orderBy, type SortKey, toPage } from "../../../db/keyset-pagination";
import { preparedQuery } from "../../../db/prepared-query";
import { eventLogClient } from "../../../eventlog/event-log.client";
import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { ok, type Result } from "../../../kernel/result";
import { openFields } from "../../../kernel/sealed-fields";
import type { ListUsersCriteria, UserRepository } from "../application/user.repository";
import { type StoredUserView, shownView, type UserView } from "../application/user.view";
import { emailIndexOf } from "./email-index";
import { PASSWORD_HASH, USER_AGGREGATE } from "./user.aggregate-definition";
import { userCredentials } from "./user-credentials.table";
import { userDataKeyOf } from "./user-data-key";
import { users } from "./users.table";

// Every column but the blind index, which the API never shows.
const { emailIndex: _index, ...USER_COLUMNS } = getTableColumns(users);

/** A command's outcome with the view as the API shows it. */
const shown = (
  outcome: Result<Committed<StoredUserView>, DomainError>,
): Result<Committed<UserView>, DomainError> =>
  outcome.ok ? ok({ ...outcome.value, view: shownView(outcome.value.view) }) : outcome;

// UUIDv7 ids sort by creation time, so the id alone is a stable, unique sort key.
const LIST_ORDER: SortKey[] = [{ column: users.id, direction: "asc" }];

const userById = preparedQuery((db) =>
  db
    .select(USER_COLUMNS)
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare(),
);

// The user and its password hash, by id (every authenticated request) or by the email's blind
// index (login).
const credentialsQuery = (column: typeof users.id | typeof users.emailIndex) =>
  preparedQuery((db) =>
    db
      .select({ user: USER_COLUMNS, passwordHash: userCredentials.passwordHash })
      .from(users)
      .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
      .where(eq(column, sql.placeholder("key")))
      .prepare(),
  );
const credentialsById = credentialsQuery(users.id);
const credentialsByEmail = credentialsQuery(users.emailIndex);

/** The user repository over D1 (reads) and the users' event logs (writes). */
export function userRepository(env: Env, d1: D1Session): UserRepository {
  const db = d1.db();
  const log = eventLogClient(env, d1);
  // A user's key, read and unwrapped once per repository (one request), however many pages of
  // its events the request opens (an export reads them all).
  const dataKeys = new Map<string, Promise<CryptoKey | undefined>>();
  const dataKeyOf = (id: string) => {
    let key = dataKeys.get(id);
    if (key === undefined) {
      key = userDataKeyOf(db, env, id);
      dataKeys.set(id, key);
    }
    return key;
  };

  return {
    findById: (id) => userById(db).get({ id }),

    findByEmail: async (email) =>
      db
        .select(USER_COLUMNS)
        .from(users)
        .where(eq(users.emailIndex, await emailIndexOf(env, email)))
        .get(),

    indexEmail: (email) => emailIndexOf(env, email),

    async list({ limit, cursor, status }: ListUsersCriteria) {
      const position = cursor === undefined ? undefined : decodeCursor(cursor, LIST_ORDER.length);
      if (position && !position.ok) return position;
      const rows = await db
        .select(USER_COLUMNS)
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

    // D1's copy of the log holds the personal fields sealed: opened here with the user's key,
    // or shown as erased (null, with a marker) once the key is gone.
    async eventsOf(id, page) {
      const events = await eventsOf(db, USER_AGGREGATE, id, page);
      if (!events.ok) return events;
      const key = await dataKeyOf(id);
      const items = await Promise.all(
        events.value.items.map(async (event) => ({
          ...event,
          data: await openFields(event.data, key),
        })),
      );
      return ok({ ...events.value, items });
    },

    findWithPasswordHash: async (by) =>
      "email" in by
        ? credentialsByEmail(db).get({ key: await emailIndexOf(env, by.email) })
        : credentialsById(db).get({ key: by.id }),

    async current(id) {
      // A change to nothing is how the log answers what it holds: no event, the current view.
      const outcome = await log.execute<StoredUserView>(USER_AGGREGATE, id, {
        type: "ChangeUserDetails",
      });
      return outcome.ok ? shownView(outcome.value.view) : undefined;
    },

    save: async (id, command, { expectedVersions, passwordHash } = {}) =>
      shown(
        await log.execute<StoredUserView>(USER_AGGREGATE, id, command, {
          ...(expectedVersions === undefined ? {} : { expectedVersions }),
          ...(passwordHash === undefined ? {} : { sealed: { [PASSWORD_HASH]: passwordHash } }),
        }),
      ),

    delete: async (id, expectedVersions) =>
      shown(
        await log.execute<StoredUserView>(
          USER_AGGREGATE,
          id,
          { type: "DeactivateUser" },
          expectedVersions === undefined ? {} : { expectedVersions },
        ),
      ),

    erase: async (id) =>
      shown(await log.execute<StoredUserView>(USER_AGGREGATE, id, { type: "EraseUser" })),
  };
}
