export const USER_ROLES = ["customer", "admin"] as const;

export type UserRole = (typeof USER_ROLES)[number];

export const DEFAULT_ROLE: UserRole = "customer";

/**
 * Who changed a role: an admin through the API, or the operator holding ADMIN_BOOTSTRAP_TOKEN
 * (how the first admin is made).
 */
export type RoleChangeSource = "admin" | "bootstrap";
