export const USER_STATUSES = ["active", "deactivated"] as const;

/** The statuses the API shows and D1 stores. */
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * A user's status in its log: also "erased" once the person's data key is gone (ADR 0037). An
 * erased user is shown nowhere and has no row in D1.
 */
export type UserLifecycle = UserStatus | "erased";
