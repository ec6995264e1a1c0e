/** At least 256 bits, for HS256 keys (RFC 7518 §3.2) and bearer secrets alike. */
export const SECRET_MIN_BYTES = 32;

export const byteLength = (text: string): number => new TextEncoder().encode(text).length;
