/** At least 256 bits for HS256 (RFC 7518 §3.2). */
export const JWT_SECRET_MIN_BYTES = 32;

/** The key that signs, and every key that may verify (the previous one during a rotation). */
export interface JwtKeys {
  readonly signing: string;
  readonly verifying: readonly string[];
}

export type JwtKeysResult = { ok: true; keys: JwtKeys } | { ok: false; problem: string };

const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** Reads `JWT_SECRET` (and `JWT_SECRET_PREVIOUS`) from the environment, refusing weak ones. */
export function readJwtKeys(env: {
  JWT_SECRET?: string;
  JWT_SECRET_PREVIOUS?: string;
}): JwtKeysResult {
  const secret = env.JWT_SECRET;
  if (!secret || byteLength(secret) < JWT_SECRET_MIN_BYTES) {
    return {
      ok: false,
      problem:
        `JWT_SECRET is ${secret ? "shorter than" : "not set; it needs"} ${JWT_SECRET_MIN_BYTES} bytes. ` +
        "Set it with `wrangler secret put JWT_SECRET` (locally: .dev.vars).",
    };
  }
  const previous = env.JWT_SECRET_PREVIOUS;
  const verifying =
    previous && byteLength(previous) >= JWT_SECRET_MIN_BYTES ? [secret, previous] : [secret];
  return { ok: true, keys: { signing: secret, verifying } };
}
