/** Who may act on a user's account: the user, or an admin. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export const isAdmin = (actor: Actor): boolean => actor.role === "admin";

export const canActOnUser = (actor: Actor, userId: string): boolean =>
  actor.id === userId || isAdmin(actor);

/** How recent a password login must be for a sensitive change to one's own account. */
export const RECENT_LOGIN_MAX_AGE_SECONDS = 5 * 60;

/**
 * Whether a sensitive change (the email, deactivation) may go ahead: always when acting on
 * another user (an admin), else only within 5 minutes of a password login, so that a stolen
 * access or refresh token alone cannot take an account over or close it.
 */
export const mayMakeSensitiveChange = (
  actor: Actor & { readonly authenticatedAt: number },
  userId: string,
  nowSeconds: number,
): boolean =>
  actor.id !== userId || nowSeconds - actor.authenticatedAt <= RECENT_LOGIN_MAX_AGE_SECONDS;
