import { fromBase64, toBase64 } from "../../../kernel/base64";
import type { PasswordHasher } from "../application/password-hasher";
import type { PlainPassword } from "../domain/password.value-object";

/**
 * The most iterations production Workers allow for PBKDF2 (more is rejected there, though local
 * workerd accepts it, so a test pins this number).
 */
export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = "pbkdf2-sha256";
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

const equalInConstantTime = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
};

// Every authenticated request checks its token's fingerprint against the stored hash's: the
// fingerprint of a hash never changes, so it is computed once per isolate and hash (bounded).
const MAX_FINGERPRINTS = 1_000;
const fingerprints = new Map<string, string>();

/**
 * Hashes as `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64), so the stored form names its
 * algorithm and parameters and can be upgraded later.
 */
export const pbkdf2PasswordHasher: PasswordHasher = {
  async hash(password: PlainPassword): Promise<string> {
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    const hash = await derive(password, salt, PBKDF2_ITERATIONS);
    return [SCHEME, PBKDF2_ITERATIONS, toBase64(salt), toBase64(hash)].join("$");
  },

  async fingerprint(storedHash: string): Promise<string> {
    let fingerprint = fingerprints.get(storedHash);
    if (fingerprint === undefined) {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(storedHash));
      fingerprint = toBase64(new Uint8Array(digest).slice(0, 12));
      if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear();
      fingerprints.set(storedHash, fingerprint);
    }
    return fingerprint;
  },

  async verify(password: string, storedHash: string | undefined): Promise<boolean> {
    const stored = storedHash ?? DECOY_PASSWORD_HASH;
    const [scheme, iterations, salt, hash] = stored.split("$");
    const count = Number(iterations);
    if (scheme !== SCHEME || !salt || !hash || !Number.isInteger(count) || count < 1) return false;
    // A count production cannot run would fail there: refuse it here too.
    if (count > PBKDF2_ITERATIONS) return false;
    const matches = equalInConstantTime(
      await derive(password, fromBase64(salt), count),
      fromBase64(hash),
    );
    return matches && storedHash !== undefined;
  },
};

/**
 * A well-formed hash of no one's password: verified against when there is no stored hash, so an
 * unknown account costs the same time as a wrong password.
 */
const DECOY_PASSWORD_HASH = `${SCHEME}$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
