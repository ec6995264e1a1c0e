/**
 * A non-extractable key for one purpose, derived from a secret with HKDF-SHA-256 (empty salt:
 * the secrets are random). Each purpose has its own `info`, so keys derived from one secret
 * for different purposes tell nothing about each other.
 */
export async function deriveKeyFromSecret(
  secret: string,
  info: Uint8Array,
  algorithm: Parameters<SubtleCrypto["deriveKey"]>[2],
  usages: string[],
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    "HKDF",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info },
    base,
    algorithm,
    false,
    usages,
  );
}
