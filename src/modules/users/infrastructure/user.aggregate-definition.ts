import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { type BoundStatement, statementTemplate } from "../../../db/statement-template";
import { upsertNewer } from "../../../db/upsert-newer";
import type { AggregateDefinition } from "../../../eventlog/aggregate-definition";
import { DATA_KEY } from "../../../eventlog/personal-data";
import { type StoredUserView, toUserView } from "../application/user.view";
import { wrongCurrentPassword } from "../domain/auth.errors";
import { type UserState, userDecider } from "../domain/user.aggregate";
import type { UserCommand } from "../domain/user.commands";
import { emailTaken } from "../domain/user.errors";
import type { UserEvent } from "../domain/user.events";
import { pbkdf2PasswordHasher } from "./pbkdf2-password-hasher";
import { refreshTokens } from "./refresh-tokens.table";
import { userCredentials } from "./user-credentials.table";
import { userDataKeys } from "./user-data-keys.table";
import { users } from "./users.table";

export const USER_AGGREGATE = "user";

/** The sealed value (kept beside the log, never in events) that holds the password hash. */
export const PASSWORD_HASH = "passwordHash";

/** The personal fields of user events, states and views, sealed wherever the log stores them. */
export const USER_PERSONAL_FIELDS = [
  "email",
  "emailIndex",
  "name",
  "previousEmail",
  "previousName",
] as const;

// Unlike upsertNewer, the same version overwrites: a key re-wrapped under a new master key
// (a rotation) reaches D1 with the next reconciliation, at the version it already has.
const dataKeyUpsert = (db: Database) =>
  statementTemplate("user_data_keys upsert", () =>
    db
      .insert(userDataKeys)
      .values({
        userId: sql.placeholder("userId"),
        wrappedKey: sql.placeholder("wrappedKey"),
        version: sql.placeholder("version"),
      } as unknown as typeof userDataKeys.$inferInsert)
      .onConflictDoUpdate({
        target: userDataKeys.userId,
        set: { wrappedKey: sql`excluded.wrapped_key`, version: sql`excluded.version` },
        setWhere: sql`excluded.version >= ${userDataKeys.version}`,
      }),
  );

/**
 * An erased user leaves nothing of the person in D1: the view, the password hash, the data key
 * and every session (with its user agent) are deleted; the email's claim is released because
 * the state holds none. Deleting is safe from late projections: a user's projections run one
 * after another in its object, and each projects the state it was started with.
 */
const erasedUserRows = (db: Database, userId: string) => [
  db.delete(users).where(eq(users.id, userId)),
  db.delete(userCredentials).where(eq(userCredentials.userId, userId)),
  db.delete(userDataKeys).where(eq(userDataKeys.userId, userId)),
  db.delete(refreshTokens).where(eq(refreshTokens.userId, userId)),
];

function liveUserRows(db: Database, stored: StoredUserView, sealed: Record<string, string>) {
  // Live: active or deactivated, the statuses D1 stores, with an email and a name.
  const view = stored as StoredUserView & {
    status: "active" | "deactivated";
    email: string;
    name: string;
  };
  const passwordHash = sealed[PASSWORD_HASH];
  const dataKey = sealed[DATA_KEY];
  const rows: BoundStatement[] = [
    upsertNewer(db, users, view, {
      key: users.id,
      version: users.version,
      keep: [users.createdAt],
    }),
  ];
  if (passwordHash !== undefined) {
    rows.push(
      upsertNewer(
        db,
        userCredentials,
        { userId: view.id, passwordHash, version: view.version },
        { key: userCredentials.userId, version: userCredentials.version },
      ),
    );
  }
  if (dataKey !== undefined) {
    rows.push(
      dataKeyUpsert(db)(db, { userId: view.id, wrappedKey: dataKey, version: view.version }),
    );
  }
  return rows;
}

/** How the event log runs, shows, guards and projects a user. */
export const userAggregate: AggregateDefinition<UserState, UserCommand, UserEvent, StoredUserView> =
  {
    type: USER_AGGREGATE,
    ...userDecider,
    view: (state, version) => (state ? toUserView(state, version) : null),
    // A deactivated user keeps its email (by its blind index): the address still names that
    // account. An erased one holds none, so the address is free again.
    claims: (state) =>
      state?.emailIndex ? [{ scope: "user-email", value: state.emailIndex }] : [],
    claimTaken: emailTaken,
    // user/3: the state gained `emailIndex` and the erased status (ADR 0037).
    snapshotTag: "user/3",
    personalData: {
      fields: USER_PERSONAL_FIELDS,
      erased: (state) => state?.status === "erased",
    },
    // In the log, not against D1's copy: two changes that give the same current password are
    // checked one after the other, so the second finds the first's new hash and fails.
    precheck: async (command, state, sealed) => {
      // An erased user has no hash left: decide answers that there is no such user.
      if (command.type !== "ChangePassword" || state === null || state.status === "erased") {
        return undefined;
      }
      const matches = await pbkdf2PasswordHasher.verify(
        command.currentPassword,
        sealed[PASSWORD_HASH],
      );
      return matches ? undefined : wrongCurrentPassword();
    },
    projectView: (db, view, sealed) =>
      view.status === "erased" ? erasedUserRows(db, view.id) : liveUserRows(db, view, sealed),
  };
