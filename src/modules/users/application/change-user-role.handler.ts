import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { err, type Result } from "../../../kernel/result";
import { parseEmail } from "../domain/email.value-object";
import { userDeactivated, userNotFound } from "../domain/user.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { RoleChangeSource, UserRole } from "../domain/user-role";
import {
  type AdminGuardDeps,
  keepingAnAdmin,
  seatingAnAdmin,
  seatingTheFirstAdmin,
} from "./admin-seats";
import type { UserView } from "./user.view";

interface RoleChange {
  readonly id: UserId;
  readonly role: UserRole;
  readonly source: RoleChangeSource;
  readonly expectedVersions?: readonly number[];
}

/** The command a role change sends to the user's log. */
const sendRoleChange = (deps: AdminGuardDeps, input: RoleChange) => () =>
  deps.repository.save(
    input.id,
    { type: "ChangeUserRole", role: input.role, source: input.source },
    input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions },
  );

/** Sets a role; taking the last active admin's away is refused (see keepingAnAdmin). */
export function changeUserRole(
  deps: AdminGuardDeps,
  input: RoleChange,
): Promise<Result<Committed<UserView>, DomainError>> {
  const change = sendRoleChange(deps, input);
  return input.role === "admin"
    ? seatingAnAdmin(deps, input.id, change)
    : keepingAnAdmin(deps, input.id, change);
}

/**
 * Makes an existing, active user an admin on the word of the operator who holds
 * ADMIN_BOOTSTRAP_TOKEN: how the first admin is made, and only the first. Once any admin
 * exists (or a bootstrap is making one) it is refused, so neither a demoted admin nor whoever
 * reads the token later can promote themselves. The event records that source.
 */
export async function bootstrapAdmin(
  deps: AdminGuardDeps,
  rawEmail: string,
): Promise<Result<Committed<UserView>, DomainError>> {
  const email = parseEmail(rawEmail);
  if (!email.ok) return email;
  const user = await deps.repository.findByEmail(email.value);
  if (!user) return err(userNotFound());
  if (user.status !== "active") return err(userDeactivated());
  const id = user.id as UserId;
  return seatingTheFirstAdmin(
    deps,
    id,
    sendRoleChange(deps, { id, role: "admin", source: "bootstrap" }),
  );
}
