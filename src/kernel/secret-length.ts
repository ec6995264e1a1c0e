/**
 * At least 256 bits, for every secret of the Worker: HS256 keys (RFC 7518 §3.2), bearer
 * secrets and the personal-data master key alike.
 */
export const SECRET_MIN_BYTES = 32;

/** A secret's length in bytes (UTF-8), which is what its strength is counted in. */
export const byteLength = (text: string): number => new TextEncoder().encode(text).length;
