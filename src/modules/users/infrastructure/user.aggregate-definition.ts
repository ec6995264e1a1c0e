import { upsertNewer } from "../../../db/upsert-newer";
import type { AggregateDefinition } from "../../../eventlog/aggregate-definition";
import { toUserView, type UserView } from "../application/user.view";
import { wrongCurrentPassword } from "../domain/auth.errors";
import { type UserState, userDecider } from "../domain/user.aggregate";
import type { UserCommand } from "../domain/user.commands";
import { emailTaken } from "../domain/user.errors";
import type { UserEvent } from "../domain/user.events";
import { pbkdf2PasswordHasher } from "./pbkdf2-password-hasher";
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
  // user/2: the state lost `bootstrapEmail` (ADR 0018).
  snapshotTag: "user/2",
  // In the log, not against D1's copy: two changes that give the same current password are
  // checked one after the other, so the second finds the first's new hash and fails.
  precheck: async (command, state, sealed) => {
    if (command.type !== "ChangePassword" || state === null) return undefined;
    const matches = await pbkdf2PasswordHasher.verify(
      command.currentPassword,
      sealed[PASSWORD_HASH],
    );
    return matches ? undefined : wrongCurrentPassword();
  },
  projectView: (db, view, sealed) => {
    const passwordHash = sealed[PASSWORD_HASH];
    return [
      upsertNewer(db, users, view, {
        key: users.id,
        version: users.version,
        keep: [users.createdAt],
      }),
      ...(passwordHash === undefined
        ? []
        : [
            upsertNewer(
              db,
              userCredentials,
              { userId: view.id, passwordHash, version: view.version },
              { key: userCredentials.userId, version: userCredentials.version },
            ),
          ]),
    ];
  },
};
