import type { EventPageRequest, EventView } from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { Email } from "../domain/email.value-object";
import type { UserCommand } from "../domain/user.commands";
import type { UserId } from "../domain/user-id.value-object";
import type { UserStatus } from "../domain/user-status";
import type { UserView } from "./user.view";

export interface ListUsersCriteria {
  readonly limit: number;
  readonly cursor?: string;
  readonly status?: UserStatus;
}

export interface SaveOptions {
  /** From `If-Match`: the version the client decided on. */
  readonly expectedVersions?: readonly number[];
  /** A new password hash, stored beside the log with the command's events. */
  readonly passwordHash?: string;
}

/**
 * The users module's port. Reads answer from the D1 read model; `save` and `delete` run a
 * command in the user's own event log and return once the read model shows its result.
 */
export interface UserRepository {
  findById(id: UserId): Promise<UserView | undefined>;
  findByEmail(email: Email): Promise<UserView | undefined>;
  list(criteria: ListUsersCriteria): Promise<Result<Page<UserView>, DomainError>>;
  eventsOf(id: UserId, page: EventPageRequest): Promise<Result<Page<EventView>, DomainError>>;
  /** The user and its password hash, for login, refresh and authentication. */
  findWithPasswordHash(
    by: { email: Email } | { id: UserId },
  ): Promise<{ user: UserView; passwordHash: string } | undefined>;
  /** The user as its own log holds it now: never behind, unlike the read model. */
  current(id: UserId): Promise<UserView | undefined>;
  save(
    id: UserId,
    command: UserCommand,
    options?: SaveOptions,
  ): Promise<Result<Committed<UserView>, DomainError>>;
  /** Deleting deactivates (the person stays), and a second delete changes nothing. */
  delete(
    id: UserId,
    expectedVersions?: readonly number[],
  ): Promise<Result<Committed<UserView>, DomainError>>;
  /** Erases the person: the user's data key is deleted (ADR 0037); again, nothing more. */
  erase(id: UserId): Promise<Result<Committed<UserView>, DomainError>>;
  /** The email's blind index: what the log claims and D1 looks up instead of the address. */
  indexEmail(email: Email): Promise<string>;
}
