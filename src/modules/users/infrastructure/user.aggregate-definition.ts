import { sql } from "drizzle-orm";
import type { AggregateDefinition } from "../../../eventlog/aggregate-definition";
import { toUserView, type UserView } from "../application/user.view";
import { type UserState, userDecider } from "../domain/user.aggregate";
import type { UserCommand } from "../domain/user.commands";
import { emailTaken } from "../domain/user.errors";
import type { UserEvent } from "../domain/user.events";
import { users } from "./users.table";

export const USER_AGGREGATE = "user";

/** How the event log runs, shows, guards and projects a user. */
export const userAggregate: AggregateDefinition<UserState, UserCommand, UserEvent, UserView> = {
  type: USER_AGGREGATE,
  ...userDecider,
  view: (state, version) => (state ? toUserView(state, version) : null),
  // A deactivated user keeps its email: the address still names that account.
  claims: (state) => (state ? [{ scope: "user-email", value: state.email }] : []),
  claimTaken: emailTaken,
  projectView: (db, view) => [
    db
      .insert(users)
      .values(view)
      .onConflictDoUpdate({
        target: users.id,
        set: {
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          status: sql`excluded.status`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`excluded.version > ${users.version}`,
      }),
  ],
};
