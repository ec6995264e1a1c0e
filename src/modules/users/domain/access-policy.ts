/** Who may act on a user's account: the user, or an admin. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export const isAdmin = (actor: Actor): boolean => actor.role === "admin";

export const canActOnUser = (actor: Actor, userId: string): boolean =>
  actor.id === userId || isAdmin(actor);

/** How recent a password login must be for a sensitive write (the step-up). */
export const RECENT_LOGIN_MAX_AGE_SECONDS = 5 * 60;

/**
 * A write to a user's account, as the step-up rule tells them apart: `details` is a name, or an
 * email given again unchanged; `email` is a new email.
 */
export type AccountWrite = "details" | "email" | "password" | "deactivation" | "erasure" | "role";

/**
 * Whether a write needs a password login in the last 5 minutes, so that a stolen access or
 * refresh token alone cannot do it:
 * - every role change, one's own included: granting admin is the way to keep a foothold;
 * - every write to another user's account (only an admin makes one): a stolen admin session
 *   must not take over or close anyone's account;
 * - on one's own account, a new email (the way to take it over), a deactivation and an
 *   erasure (which cannot be undone). A rename
 *   is harmless, and a password change asks for the current password itself.
 */
export const needsRecentLogin = (actor: Actor, userId: string, write: AccountWrite): boolean =>
  write === "role" ||
  actor.id !== userId ||
  write === "email" ||
  write === "deactivation" ||
  write === "erasure";

export const hasRecentLogin = (
  actor: { readonly authenticatedAt: number },
  nowSeconds: number,
): boolean => nowSeconds - actor.authenticatedAt <= RECENT_LOGIN_MAX_AGE_SECONDS;
