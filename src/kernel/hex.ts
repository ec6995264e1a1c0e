/** Bytes as lower-case hex, two characters each (digests and MACs in text columns and logs). */
export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
