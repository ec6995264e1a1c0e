/** Who may act on a user's account: the user, or an admin. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export const isAdmin = (actor: Actor): boolean => actor.role === "admin";

export const canActOnUser = (actor: Actor, userId: string): boolean =>
  actor.id === userId || isAdmin(actor);
