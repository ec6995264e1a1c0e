import type { DomainEvent } from "../../../kernel/events";
import type { Email } from "./email.value-object";
import type { UserId } from "./user-id.value-object";
import type { UserName } from "./user-name.value-object";
import type { RoleChangeSource, UserRole } from "./user-role";

/** `role` is always "customer" now; events from before the bootstrap endpoint may say "admin". */
export type UserRegistered = DomainEvent<
  "UserRegistered",
  {
    readonly userId: UserId;
    /** Personal fields (email, name, emailIndex) are sealed wherever the log stores them. */
    readonly email: Email | null;
    readonly emailIndex: string | null;
    readonly name: UserName | null;
    readonly role: UserRole;
  }
>;
export type UserRenamed = DomainEvent<
  "UserRenamed",
  { readonly previousName: UserName | null; readonly name: UserName | null }
>;
export type UserEmailChanged = DomainEvent<
  "UserEmailChanged",
  {
    readonly previousEmail: Email | null;
    readonly email: Email | null;
    readonly emailIndex: string | null;
  }
>;
/** The person's data key is gone: every sealed field of theirs reads as null from now on. */
export type UserErased = DomainEvent<"UserErased", Record<string, never>>;
export type UserDeactivated = DomainEvent<"UserDeactivated", Record<string, never>>;
export type UserRoleChanged = DomainEvent<
  "UserRoleChanged",
  {
    readonly previousRole: UserRole;
    readonly role: UserRole;
    /** Absent on events recorded before sources were: those were an admin's changes. */
    readonly source?: RoleChangeSource;
  }
>;
/** The new hash is kept beside the log, never here: this event only says that it changed. */
export type UserPasswordChanged = DomainEvent<"UserPasswordChanged", Record<string, never>>;

export type UserEvent =
  | UserRegistered
  | UserRenamed
  | UserEmailChanged
  | UserDeactivated
  | UserErased
  | UserRoleChanged
  | UserPasswordChanged;
