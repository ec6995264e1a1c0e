// The key hierarchy for personal data (ADR 0037): PII_MASTER_KEY → (HKDF) key-encryption key →
// wraps each random data key (one per user, one for the email blind index). Rotating the master
// key re-wraps those keys; nothing they sealed is ever rewritten.

import { fromBase64, toBase64 } from "./base64";
import { deriveKeyFromSecret } from "./hkdf";
import { byteLength, SECRET_MIN_BYTES } from "./secret-length";

const AES_GCM_IV_BYTES = 12;
const DATA_KEY_BYTES = 32;
// Its own HKDF info: the key-encryption key shares nothing with other uses of any secret.
const KEK_INFO = new TextEncoder().encode("edge-commerce/pii-kek/v1");

export interface PiiSecrets {
  PII_MASTER_KEY?: string;
  PII_MASTER_KEY_PREVIOUS?: string;
}

/** The key-encryption keys: the current one wraps, either may unwrap (during a rotation). */
export interface KeyEncryptionKeys {
  readonly current: CryptoKey;
  readonly previous?: CryptoKey;
}

export type PiiKeysResult =
  | { readonly ok: true; readonly keys: Promise<KeyEncryptionKeys> }
  | { readonly ok: false; readonly problem: string };

const HOW_TO_SET = "`npm run dev` and `npm run deploy` set one.";

/** What is wrong with a master secret, or undefined when it is usable. */
function problemWith(secret: string | undefined): string | undefined {
  if (!secret || byteLength(secret) < SECRET_MIN_BYTES) {
    return `PII_MASTER_KEY is unset or under ${SECRET_MIN_BYTES} bytes. ${HOW_TO_SET}`;
  }
  return undefined;
}

const deriveKek = (secret: string): Promise<CryptoKey> =>
  deriveKeyFromSecret(secret, KEK_INFO, { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);

// Derived once per isolate (and per pair of secrets): every command on a user needs them.
let last: { current: string; previous: string | undefined; result: PiiKeysResult } | undefined;

/**
 * Reads PII_MASTER_KEY (and PII_MASTER_KEY_PREVIOUS during a rotation), refusing a missing or
 * short one. A wrong key is only found when it cannot unwrap a stored key (see `unwrapKey`).
 */
export function readPiiKeys(env: PiiSecrets): PiiKeysResult {
  const current = env.PII_MASTER_KEY;
  const previous = env.PII_MASTER_KEY_PREVIOUS || undefined;
  if (last && last.current === current && last.previous === previous) return last.result;
  const problem = problemWith(current);
  const result: PiiKeysResult =
    problem !== undefined || current === undefined
      ? { ok: false, problem: problem ?? "" }
      : {
          ok: true,
          keys: Promise.all([
            deriveKek(current),
            previous && problemWith(previous) === undefined ? deriveKek(previous) : undefined,
          ]).then(([currentKek, previousKek]) =>
            previousKek ? { current: currentKek, previous: previousKek } : { current: currentKek },
          ),
        };
  last = { current: current ?? "", previous, result };
  return result;
}

// A master key that unwraps none of the stored keys: wrong, or not the one they were made under.
const wrongKey = () => new Error("PII_MASTER_KEY cannot unwrap a stored key");

/** AES-256-GCM with a random IV, as base64 of IV ‖ ciphertext ‖ tag. */
export async function encrypt(key: CryptoKey, plain: Uint8Array, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(AES_GCM_IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    key,
    plain,
  );
  const out = new Uint8Array(AES_GCM_IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), AES_GCM_IV_BYTES);
  return toBase64(out);
}

/** The inverse of `encrypt`; throws when the key or the context is not the one it was made with. */
export async function decrypt(
  key: CryptoKey,
  sealed: string,
  context: string,
): Promise<Uint8Array> {
  const bytes = fromBase64(sealed);
  const plain = await crypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: bytes.subarray(0, AES_GCM_IV_BYTES),
      additionalData: new TextEncoder().encode(context),
    },
    key,
    bytes.subarray(AES_GCM_IV_BYTES),
  );
  return new Uint8Array(plain);
}

// Every wrapped key names what it is for, so one cannot be passed off as another.
const WRAP_CONTEXT = "edge-commerce/wrapped-key/v1:";

/** A new random data key: usable at once, and wrapped under the current key-encryption key. */
export async function newWrappedKey(
  keks: KeyEncryptionKeys,
  purpose: string,
): Promise<{ raw: Uint8Array; wrapped: string }> {
  const raw = crypto.getRandomValues(new Uint8Array(DATA_KEY_BYTES));
  return { raw, wrapped: await encrypt(keks.current, raw, WRAP_CONTEXT + purpose) };
}

/**
 * The raw key inside `wrapped`. When only the previous key-encryption key opens it (a rotation
 * under way), `rewrapped` is the same key wrapped under the current one, for the caller to store.
 * Throws when neither opens it.
 */
export async function unwrapKey(
  keks: KeyEncryptionKeys,
  wrapped: string,
  purpose: string,
): Promise<{ raw: Uint8Array; rewrapped?: string }> {
  const context = WRAP_CONTEXT + purpose;
  try {
    return { raw: await decrypt(keks.current, wrapped, context) };
  } catch {
    // Not the current key's: the previous one's, during a rotation, or a wrong master key.
  }
  const { previous } = keks;
  const raw = previous && (await decrypt(previous, wrapped, context).catch(() => undefined));
  if (!raw) throw wrongKey();
  return { raw, rewrapped: await encrypt(keks.current, raw, context) };
}

/** An AES-256-GCM key for sealing fields, not extractable. */
export const importDataKey = (raw: Uint8Array): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);

/** An HMAC-SHA-256 key for blind indexes, not extractable. */
export const importIndexKey = (raw: Uint8Array): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
