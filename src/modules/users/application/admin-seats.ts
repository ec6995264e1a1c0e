import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { newId } from "../../../kernel/ids";
import { err, type Result } from "../../../kernel/result";
import { adminChangeInProgress, bootstrapClosed, lastAdmin } from "../domain/user.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

/** What releasing a user's seat found. */
export type SeatRelease =
  /** The seat is held for this change; at least one other active admin keeps theirs. */
  | "released"
  /** The user holds no seat: not an active admin, so nothing to guard. */
  | "no-seat"
  /** The user holds the last seat: refused. */
  | "last"
  /** Another change holds the user's seat right now. */
  | "busy";

/**
 * Seats held by active admins, in D1, so that changes running in different users' objects
 * still see each other. Every operation is one conditional statement: atomic under concurrency.
 */
export interface AdminSeats {
  /**
   * Holds the user's seat for the change `lease`, unless it is the last seat not held: so two
   * admins removing each other at once cannot both succeed. A hold older than a few minutes
   * (its change died half-way) is taken over.
   */
  release(userId: string, lease: string, now: Date): Promise<SeatRelease>;
  /**
   * Holds the user's seat row for the change `lease` whatever the count (making the row if the
   * user has none), unless another change holds it: so no two changes to one user's adminship
   * run at once, and the seat settled after each matches what the user became.
   */
  hold(userId: string, lease: string, now: Date): Promise<"held" | "busy">;
  /**
   * Holds a seat row for the user's bootstrap `lease` only if there is no seat row at all, held
   * or not: one conditional statement, so of concurrent bootstraps at most one finds the table
   * empty, and none once any admin holds a seat.
   */
  holdFirst(userId: string, lease: string, now: Date): Promise<"held" | "taken">;
  /** Whether any seat row exists, held or not: whether an admin exists, or is being made. */
  anyTaken(): Promise<boolean>;
  /** After the change: the seat is given back if the user is still an active admin, else deleted. */
  settle(userId: string, lease: string, stillActiveAdmin: boolean): Promise<void>;
}

export interface AdminGuardDeps {
  readonly repository: UserRepository;
  readonly adminSeats: AdminSeats;
}

const isActiveAdmin = (user: UserView | undefined): boolean =>
  user?.role === "admin" && user.status === "active";

type Change = () => Promise<Result<Committed<UserView>, DomainError>>;

/**
 * Runs a change while holding the user's seat row for `lease`, then settles the seat on what the
 * user became: the change's own answer, or the log's word when the change failed or threw. If
 * even that cannot be learnt, the hold stays: that only makes the guard stricter until the hold
 * goes stale and is taken over.
 */
async function changeHolding(
  deps: AdminGuardDeps,
  id: UserId,
  lease: string,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  let outcome: Result<Committed<UserView>, DomainError> | undefined;
  try {
    outcome = await change();
    return outcome;
  } finally {
    try {
      // No user (never was, or erased) is no admin: its seat goes.
      const user = outcome?.ok ? outcome.value.view : await deps.repository.current(id);
      await deps.adminSeats.settle(id, lease, isActiveAdmin(user));
    } catch {
      // Left held: see above.
    }
  }
}

/**
 * Runs a change that may end a user's being an active admin (a demotion, a deactivation) so that
 * one active admin always remains (409 otherwise). Reading how many admins there are and then
 * acting would race (each user decides in their own object); releasing the seat first, with one
 * conditional statement, does not. A user with no seat is held all the same, so a promotion
 * running at the same time cannot leave a seat for a user this change demotes.
 */
export async function keepingAnAdmin(
  deps: AdminGuardDeps,
  id: UserId,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  const lease = newId();
  const now = new Date();
  const release = await deps.adminSeats.release(id, lease, now);
  if (release === "last") return err(lastAdmin());
  if (release === "busy") return err(adminChangeInProgress());
  if (release === "no-seat" && (await deps.adminSeats.hold(id, lease, now)) === "busy") {
    return err(adminChangeInProgress());
  }
  return changeHolding(deps, id, lease, change);
}

/** Runs a change that may make a user an active admin; the user has a seat if it did. */
export async function seatingAnAdmin(
  deps: AdminGuardDeps,
  id: UserId,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  const lease = newId();
  if ((await deps.adminSeats.hold(id, lease, new Date())) === "busy") {
    return err(adminChangeInProgress());
  }
  return changeHolding(deps, id, lease, change);
}

/**
 * Runs the change that makes the first admin (the operator's bootstrap): only while no seat
 * exists, decided by the same conditional statement that holds this user's, so two bootstraps
 * racing make at most one admin, and none once there is an admin.
 */
export async function seatingTheFirstAdmin(
  deps: AdminGuardDeps,
  id: UserId,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  const lease = newId();
  if ((await deps.adminSeats.holdFirst(id, lease, new Date())) === "taken") {
    return err(bootstrapClosed());
  }
  return changeHolding(deps, id, lease, change);
}
