import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import { parseEmail } from "../domain/email.value-object";
import { parsePassword } from "../domain/password.value-object";
import { newUserId } from "../domain/user-id.value-object";
import { parseUserName } from "../domain/user-name.value-object";
import type { PasswordHasher } from "./password-hasher";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export interface RegisterUserDeps {
  readonly repository: UserRepository;
  readonly hasher: PasswordHasher;
}

export interface RegisterUserInput {
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

export async function registerUser(
  deps: RegisterUserDeps,
  input: RegisterUserInput,
): Promise<Result<Committed<UserView>, DomainError>> {
  const email = parseEmail(input.email);
  if (!email.ok) return email;
  const name = parseUserName(input.name);
  if (!name.ok) return name;
  const password = parsePassword(input.password);
  if (!password.ok) return password;
  const userId = newUserId();
  return deps.repository.save(
    userId,
    {
      type: "RegisterUser",
      email: email.value,
      emailIndex: await deps.repository.indexEmail(email.value),
      name: name.value,
    },
    { passwordHash: await deps.hasher.hash(password.value) },
  );
}
