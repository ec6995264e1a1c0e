import type { DomainError } from "../../../kernel/domain-error";
import {
  type Decider,
  type DecisionContext,
  type RecordedEvent,
  unknownEvent,
} from "../../../kernel/events";
import { err, ok, type Result } from "../../../kernel/result";
import type { Email } from "./email.value-object";
import type { ChangeUserDetails, ChangeUserRole, RegisterUser, UserCommand } from "./user.commands";
import { userAlreadyExists, userDeactivated, userErased, userNotFound } from "./user.errors";
import type { UserEvent } from "./user.events";
import type { UserId } from "./user-id.value-object";
import type { UserName } from "./user-name.value-object";
import { DEFAULT_ROLE, type UserRole } from "./user-role";
import type { UserLifecycle } from "./user-status";

/**
 * Email, name and the email's blind index are null once the user is erased (or read from a log
 * whose data key is gone).
 */
export interface User {
  readonly id: UserId;
  readonly email: Email | null;
  readonly emailIndex: string | null;
  readonly name: UserName | null;
  readonly status: UserLifecycle;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `null` until the user is registered. */
export type UserState = User | null;

const register = (
  command: RegisterUser,
  state: UserState,
  context: DecisionContext,
): Result<UserEvent[], DomainError> =>
  state
    ? err(userAlreadyExists())
    : ok([
        {
          type: "UserRegistered",
          data: {
            userId: context.aggregateId as UserId,
            email: command.email,
            emailIndex: command.emailIndex,
            name: command.name,
            role: DEFAULT_ROLE,
          },
        },
      ]);

const changeDetails = (
  command: ChangeUserDetails,
  state: UserState,
): Result<UserEvent[], DomainError> => {
  if (!state) return err(userNotFound());
  if (state.status === "erased") return err(userErased());
  const events: UserEvent[] = [];
  if (command.name !== undefined && command.name !== state.name) {
    events.push({ type: "UserRenamed", data: { previousName: state.name, name: command.name } });
  }
  if (command.email !== undefined && command.email.address !== state.email) {
    events.push({
      type: "UserEmailChanged",
      data: {
        previousEmail: state.email,
        email: command.email.address,
        emailIndex: command.email.index,
      },
    });
  }
  // A no-op is allowed even when deactivated: it changes nothing, so nothing is refused.
  if (events.length > 0 && state.status === "deactivated") return err(userDeactivated());
  return ok(events);
};

const changeRole = (
  command: ChangeUserRole,
  state: UserState,
): Result<UserEvent[], DomainError> => {
  if (!state) return err(userNotFound());
  if (state.status === "erased") return err(userErased());
  if (command.role === state.role) return ok([]);
  if (state.status === "deactivated") return err(userDeactivated());
  return ok([
    {
      type: "UserRoleChanged",
      data: { previousRole: state.role, role: command.role, source: command.source },
    },
  ]);
};

// Always an event: a new password is a change even if it equals the old one (its salt differs).
const changePassword = (state: UserState): Result<UserEvent[], DomainError> => {
  if (!state) return err(userNotFound());
  if (state.status === "erased") return err(userErased());
  if (state.status === "deactivated") return err(userDeactivated());
  return ok([{ type: "UserPasswordChanged", data: {} }]);
};

const deactivate = (state: UserState): Result<UserEvent[], DomainError> => {
  if (!state) return err(userNotFound());
  if (state.status === "erased") return err(userErased());
  if (state.status === "deactivated") return ok([]);
  return ok([{ type: "UserDeactivated", data: {} }]);
};

// Erasing again changes nothing: the key is already gone.
const erase = (state: UserState): Result<UserEvent[], DomainError> => {
  if (!state) return err(userNotFound());
  if (state.status === "erased") return ok([]);
  return ok([{ type: "UserErased", data: {} }]);
};

export const decideUser = (
  command: UserCommand,
  state: UserState,
  context: DecisionContext,
): Result<UserEvent[], DomainError> => {
  switch (command.type) {
    case "RegisterUser":
      return register(command, state, context);
    case "ChangeUserDetails":
      return changeDetails(command, state);
    case "DeactivateUser":
      return deactivate(state);
    case "EraseUser":
      return erase(state);
    case "ChangeUserRole":
      return changeRole(command, state);
    case "ChangePassword":
      return changePassword(state);
  }
};

export const evolveUser = (state: UserState, event: RecordedEvent<UserEvent>): UserState => {
  if (event.type === "UserRegistered") {
    return {
      id: event.data.userId,
      email: event.data.email,
      emailIndex: event.data.emailIndex,
      name: event.data.name,
      status: "active",
      role: event.data.role,
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    };
  }
  if (!state) throw new Error(`${event.type} cannot come before UserRegistered`);
  switch (event.type) {
    case "UserRenamed":
      return { ...state, name: event.data.name, updatedAt: event.occurredAt };
    case "UserEmailChanged":
      return {
        ...state,
        email: event.data.email,
        emailIndex: event.data.emailIndex,
        updatedAt: event.occurredAt,
      };
    case "UserDeactivated":
      return { ...state, status: "deactivated", updatedAt: event.occurredAt };
    case "UserErased":
      return {
        ...state,
        email: null,
        emailIndex: null,
        name: null,
        status: "erased",
        updatedAt: event.occurredAt,
      };
    case "UserRoleChanged":
      return { ...state, role: event.data.role, updatedAt: event.occurredAt };
    case "UserPasswordChanged":
      return { ...state, updatedAt: event.occurredAt };
    default:
      return unknownEvent(event);
  }
};

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: () => null,
  evolve: evolveUser,
  decide: decideUser,
};
