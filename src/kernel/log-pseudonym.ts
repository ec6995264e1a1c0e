import { toHex } from "./hex";
import { deriveKeyFromSecret } from "./hkdf";

// Its own HKDF info string: the pseudonym key is independent of every other use of the secret
// (a pseudonym reveals nothing about the token-signing key, and the reverse).
const INFO = new TextEncoder().encode("edge-commerce/log-pseudonym/v1");
// 128 bits: collisions are out of reach for any number of values a log could name.
const PSEUDONYM_BYTES = 16;

let derived: { readonly secret: string; readonly key: Promise<CryptoKey> } | undefined;

function keyFor(secret: string): Promise<CryptoKey> {
  if (derived?.secret !== secret) {
    const key = deriveKeyFromSecret(secret, INFO, { name: "HMAC", hash: "SHA-256", length: 256 }, [
      "sign",
    ]);
    derived = { secret, key };
  }
  return derived.key;
}

/**
 * A keyed stand-in for a personal value (an email) in a log line: HMAC-SHA-256 of the scope and
 * the value, under a key derived with HKDF from `secret`, as 32 hex characters. The same value
 * gives the same pseudonym while the secret stays, so log lines can be matched with each other
 * (and, by an operator who holds the secret, with a value they already know), but the value
 * cannot be read back or guessed from the log alone. Null without a secret: the line then says
 * nothing about the value.
 */
export async function logPseudonym(
  secret: string | undefined,
  scope: string,
  value: string,
): Promise<string | null> {
  if (!secret) return null;
  const mac = await crypto.subtle.sign(
    "HMAC",
    await keyFor(secret),
    new TextEncoder().encode(`${scope}\u0000${value}`),
  );
  return toHex(new Uint8Array(mac, 0, PSEUDONYM_BYTES));
}
