import type { PlainPassword } from "../domain/password.value-object";

/** Turns a password into a stored hash and checks a password against one. */
export interface PasswordHasher {
  hash(password: PlainPassword): Promise<string>;
  /**
   * Whether `password` matches. Without a stored hash it does the same work and answers false,
   * so callers cannot reveal by timing that an account does not exist.
   */
  verify(password: string, storedHash: string | undefined): Promise<boolean>;
}
