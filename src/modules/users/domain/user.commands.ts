import type { Email } from "./email.value-object";
import type { UserId } from "./user-id.value-object";
import type { UserName } from "./user-name.value-object";

export type RegisterUser = {
  readonly type: "RegisterUser";
  readonly userId: UserId;
  readonly email: Email;
  readonly name: UserName;
};

/** Rename and/or change the email in one decision; an absent field stays as it is. */
export type ChangeUserDetails = {
  readonly type: "ChangeUserDetails";
  readonly email?: Email;
  readonly name?: UserName;
};

export type DeactivateUser = { readonly type: "DeactivateUser" };

export type UserCommand = RegisterUser | ChangeUserDetails | DeactivateUser;
