import type { Email } from "./email.value-object";
import type { UserName } from "./user-name.value-object";
import type { RoleChangeSource, UserRole } from "./user-role";

/**
 * The id is the log's own (from the decision context), so a command can never register one id
 * in another's log. The password hash travels beside the command (sealed), never inside it.
 * Everyone registers as a customer: admins are made afterwards, by an admin or the bootstrap.
 */
export type RegisterUser = {
  readonly type: "RegisterUser";
  readonly email: Email;
  /** The email's blind index (a keyed HMAC): what login and uniqueness look up (ADR 0037). */
  readonly emailIndex: string;
  readonly name: UserName;
};

/** Rename and/or change the email in one decision; an absent field stays as it is. */
export type ChangeUserDetails = {
  readonly type: "ChangeUserDetails";
  /** With `email`, always: its blind index. */
  readonly email?: { readonly address: Email; readonly index: string };
  readonly name?: UserName;
};

export type DeactivateUser = { readonly type: "DeactivateUser" };

/** Crypto-shredding: the user's data key is deleted with the event this records (ADR 0037). */
export type EraseUser = { readonly type: "EraseUser" };

export type ChangeUserRole = {
  readonly type: "ChangeUserRole";
  readonly role: UserRole;
  readonly source: RoleChangeSource;
};

/**
 * The current password travels with the command so that the user's own log checks it against
 * the sealed hash, one change at a time; it is never recorded. The new hash is sealed beside it.
 */
export type ChangePassword = { readonly type: "ChangePassword"; readonly currentPassword: string };

export type UserCommand =
  | RegisterUser
  | ChangeUserDetails
  | DeactivateUser
  | EraseUser
  | ChangeUserRole
  | ChangePassword;
