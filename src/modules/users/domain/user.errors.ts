import { conflict, type DomainError, notFound } from "../../../kernel/domain-error";

export const userNotFound = (): DomainError => notFound("USER.NOT_FOUND", "No such user.");

/** An erased user is as absent as one that never was: 404, whatever the command. */
export const userErased = (): DomainError => notFound("USER.NOT_FOUND", "No such user.");

export const userAlreadyExists = (): DomainError =>
  conflict("USER.ALREADY_EXISTS", "A user with this id already exists.");

export const userDeactivated = (): DomainError =>
  conflict("USER.DEACTIVATED", "The user is deactivated and cannot be changed.");

export const emailTaken = (): DomainError =>
  conflict("USER.EMAIL_TAKEN", "Another account already uses this email.");

export const lastAdmin = (): DomainError =>
  conflict("USER.LAST_ADMIN", "This is the last active admin: make another user an admin first.");

export const adminChangeInProgress = (): DomainError =>
  conflict(
    "USER.ADMIN_CHANGE_IN_PROGRESS",
    "Another change to this admin's role or status is under way; try again.",
  );

/**
 * The operator's bootstrap is closed because an admin exists (or is being made). The route
 * answers it as an unknown path: a closed bootstrap is as absent as an unset one.
 */
export const bootstrapClosed = (): DomainError =>
  notFound("ADMIN.BOOTSTRAP_CLOSED", "The bootstrap is closed: an admin already exists.");
