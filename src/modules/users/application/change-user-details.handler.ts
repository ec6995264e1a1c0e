import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import { type Email, parseEmail } from "../domain/email.value-object";
import type { UserId } from "../domain/user-id.value-object";
import { parseUserName, type UserName } from "../domain/user-name.value-object";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export interface ChangeUserDetailsInput {
  readonly id: UserId;
  readonly email?: string;
  readonly name?: string;
  /** From `If-Match`: the version the client last saw. */
  readonly expectedVersions?: readonly number[];
}

/** Serves both PUT (every field given) and PATCH (any subset). */
export async function changeUserDetails(
  repository: UserRepository,
  input: ChangeUserDetailsInput,
): Promise<Result<Committed<UserView>, DomainError>> {
  let email: { address: Email; index: string } | undefined;
  if (input.email !== undefined) {
    const parsed = parseEmail(input.email);
    if (!parsed.ok) return parsed;
    email = { address: parsed.value, index: await repository.indexEmail(parsed.value) };
  }
  let name: UserName | undefined;
  if (input.name !== undefined) {
    const parsed = parseUserName(input.name);
    if (!parsed.ok) return parsed;
    name = parsed.value;
  }
  return repository.save(
    input.id,
    { type: "ChangeUserDetails", ...(email && { email }), ...(name && { name }) },
    input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions },
  );
}
