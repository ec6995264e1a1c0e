import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { newId } from "../../../kernel/ids";
import { err, type Result } from "../../../kernel/result";
import { adminChangeInProgress, lastAdmin } from "../domain/user.errors";
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
  /** Gives the user a seat, once they have become an active admin (idempotent). */
  take(userId: string): Promise<void>;
  /**
   * Holds the user's seat for the change `lease`, unless it is the last seat not held: so two
   * admins removing each other at once cannot both succeed. A hold older than a few minutes
   * (its change died half-way) is taken over.
   */
  release(userId: string, lease: string, now: Date): Promise<SeatRelease>;
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
 * Runs a change that may end a user's being an active admin (a demotion, a deactivation) so that
 * one active admin always remains (409 otherwise). Reading how many admins there are and then
 * acting would race (each user decides in their own object); releasing the seat first, with one
 * conditional statement, does not. A change that dies half-way leaves its hold on the seat:
 * that only makes the guard stricter until the hold goes stale and is taken over.
 */
export async function keepingAnAdmin(
  deps: AdminGuardDeps,
  id: UserId,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  const lease = newId();
  const release = await deps.adminSeats.release(id, lease, new Date());
  if (release === "last") return err(lastAdmin());
  if (release === "busy") return err(adminChangeInProgress());
  if (release === "no-seat") return change();
  const outcome = await change();
  // A failed change changed nothing, but the log, not the read model, says what the user is now.
  const user = outcome.ok ? outcome.value.view : await deps.repository.current(id);
  await deps.adminSeats.settle(id, lease, isActiveAdmin(user));
  return outcome;
}

/** Runs a change that may make a user an active admin, and gives them a seat if it did. */
export async function seatingAnAdmin(
  deps: AdminGuardDeps,
  change: Change,
): Promise<Result<Committed<UserView>, DomainError>> {
  const outcome = await change();
  if (outcome.ok && isActiveAdmin(outcome.value.view)) {
    await deps.adminSeats.take(outcome.value.view.id);
  }
  return outcome;
}
