export const USER_STATUSES = ["active", "deactivated"] as const;

export type UserStatus = (typeof USER_STATUSES)[number];
