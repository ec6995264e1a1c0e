import type { DomainEvent } from "../../../kernel/events";
import type { Email } from "./email.value-object";
import type { UserId } from "./user-id.value-object";
import type { UserName } from "./user-name.value-object";

export type UserRegistered = DomainEvent<
  "UserRegistered",
  { readonly userId: UserId; readonly email: Email; readonly name: UserName }
>;
export type UserRenamed = DomainEvent<
  "UserRenamed",
  { readonly previousName: UserName; readonly name: UserName }
>;
export type UserEmailChanged = DomainEvent<
  "UserEmailChanged",
  { readonly previousEmail: Email; readonly email: Email }
>;
export type UserDeactivated = DomainEvent<"UserDeactivated", Record<string, never>>;

export type UserEvent = UserRegistered | UserRenamed | UserEmailChanged | UserDeactivated;
