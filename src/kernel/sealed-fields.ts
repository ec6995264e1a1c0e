import { decrypt, encrypt } from "./pii-keys";

// A sealed field is a string that says so, then AES-256-GCM of the value's JSON under the data
// key, bound to the field's name (so a sealed name cannot be moved into the email field).
const PREFIX = "sealed:v1:";

/** Set on a record with a personal field that can no longer be opened: its key was erased. */
export const ERASED_MARKER = "personalDataErased";

type Fields = Readonly<Record<string, unknown>>;

const isSealed = (value: unknown): value is string =>
  typeof value === "string" && value.startsWith(PREFIX);

/**
 * `record` with each of `fields` that holds a value sealed under `key`. Without a key (it was
 * erased), every such field must already be null or absent: plain personal data is never stored
 * once the key is gone, so that is a bug, and it throws.
 */
export async function sealFields<T>(
  record: T,
  fields: readonly string[],
  key: CryptoKey | undefined,
): Promise<T> {
  if (record === null || typeof record !== "object") return record;
  const sealed: Record<string, unknown> = { ...(record as Fields) };
  for (const field of fields) {
    const value = sealed[field];
    if (value === undefined || value === null || isSealed(value)) continue;
    if (!key) throw new Error(`No key to seal ${field}`);
    const plain = new TextEncoder().encode(JSON.stringify(value));
    sealed[field] = PREFIX + (await encrypt(key, plain, field));
  }
  return sealed as T;
}

/**
 * `record` with every sealed field opened. Without the key, each becomes null and the record
 * gets `personalDataErased: true`: an erased person reads as erased, never as an error.
 */
export async function openFields<T>(record: T, key: CryptoKey | undefined): Promise<T> {
  if (record === null || typeof record !== "object") return record;
  const entries = Object.entries(record as Fields);
  if (!entries.some(([, value]) => isSealed(value))) return record;
  const opened: Record<string, unknown> = {};
  let erased = false;
  for (const [field, value] of entries) {
    if (!isSealed(value)) {
      opened[field] = value;
    } else if (!key) {
      opened[field] = null;
      erased = true;
    } else {
      const plain = await decrypt(key, value.slice(PREFIX.length), field);
      opened[field] = JSON.parse(new TextDecoder().decode(plain)) as unknown;
    }
  }
  if (erased) opened[ERASED_MARKER] = true;
  return opened as T;
}
