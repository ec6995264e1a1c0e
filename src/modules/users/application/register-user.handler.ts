import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import { parseEmail } from "../domain/email.value-object";
import { newUserId } from "../domain/user-id.value-object";
import { parseUserName } from "../domain/user-name.value-object";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export interface RegisterUserInput {
  readonly email: string;
  readonly name: string;
}

export async function registerUser(
  repository: UserRepository,
  input: RegisterUserInput,
): Promise<Result<Committed<UserView>, DomainError>> {
  const email = parseEmail(input.email);
  if (!email.ok) return email;
  const name = parseUserName(input.name);
  if (!name.ok) return name;
  const userId = newUserId();
  return repository.save(userId, {
    type: "RegisterUser",
    userId,
    email: email.value,
    name: name.value,
  });
}
