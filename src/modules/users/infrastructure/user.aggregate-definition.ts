import { sql } from "drizzle-orm";
import type { AggregateDefinition } from "../../../eventlog/aggregate-definition";
import { toUserView, type UserView } from "../application/user.view";
import { type UserState, userDecider } from "../domain/user.aggregate";
import type { UserCommand } from "../domain/user.commands";
import { emailTaken } from "../domain/user.errors";
import type { UserEvent } from "../domain/user.events";
import { userCredentials } from "./user-credentials.table";
import { users } from "./users.table";

export const USER_AGGREGATE = "user";

/** The sealed value (kept beside the log, never in events) that holds the password hash. */
export const PASSWORD_HASH = "passwordHash";

/** How the event log runs, shows, guards and projects a user. */
export const userAggregate: AggregateDefinition<UserState, UserCommand, UserEvent, UserView> = {
  type: USER_AGGREGATE,
  ...userDecider,
  view: (state, version) => (state ? toUserView(state, version) : null),
  // A deactivated user keeps its email: the address still names that account.
  claims: (state) => (state ? [{ scope: "user-email", value: state.email }] : []),
  claimTaken: emailTaken,
  projectView: (db, view, sealed) => [
    db
      .insert(users)
      .values(view)
      .onConflictDoUpdate({
        target: users.id,
        set: {
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          status: sql`excluded.status`,
          role: sql`excluded.role`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`excluded.version > ${users.version}`,
      }),
    ...(sealed[PASSWORD_HASH] === undefined
      ? []
      : [
          db
            .insert(userCredentials)
            .values({ userId: view.id, passwordHash: sealed[PASSWORD_HASH], version: view.version })
            .onConflictDoUpdate({
              target: userCredentials.userId,
              set: { passwordHash: sql`excluded.password_hash`, version: sql`excluded.version` },
              setWhere: sql`excluded.version > ${userCredentials.version}`,
            }),
        ]),
  ],
};
