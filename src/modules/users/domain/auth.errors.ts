import type { DomainError } from "../../../kernel/domain-error";

/** One answer for an unknown email, a wrong password and a deactivated account alike. */
export const invalidCredentials = (): DomainError => ({
  kind: "unauthenticated",
  code: "AUTH.INVALID_CREDENTIALS",
  message: "The email or password is wrong.",
});

export const invalidRefreshToken = (): DomainError => ({
  kind: "unauthenticated",
  code: "AUTH.INVALID_REFRESH_TOKEN",
  message: "The refresh token is unknown, expired, revoked or already used.",
});

export const wrongCurrentPassword = (): DomainError => ({
  kind: "forbidden",
  code: "AUTH.WRONG_PASSWORD",
  message: "The current password is wrong.",
});

export const sessionNotFound = (): DomainError => ({
  kind: "not_found",
  code: "AUTH.SESSION_NOT_FOUND",
  message: "You have no session with this id.",
});
