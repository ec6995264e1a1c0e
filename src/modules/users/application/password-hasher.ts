import type { PlainPassword } from "../domain/password.value-object";

/** Turns a password into a stored hash and checks a password against one. */
export interface PasswordHasher {
  hash(password: PlainPassword): Promise<string>;
  /**
   * Whether `password` matches. Without a stored hash it does the same work and answers false,
   * so callers cannot reveal by timing that an account does not exist.
   */
  verify(password: string, storedHash: string | undefined): Promise<boolean>;
  /**
   * A short digest of a stored hash that changes whenever the password does, and tells nothing
   * about the password: safe to put in tokens to tie them to the password they were issued for.
   */
  fingerprint(storedHash: string): Promise<string>;
}
