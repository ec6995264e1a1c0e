import { and, eq } from "drizzle-orm";
import { primarySession } from "../../../db/d1-session";
import { toHex } from "../../../kernel/hex";
import {
  importIndexKey,
  newWrappedKey,
  type PiiSecrets,
  readPiiKeys,
  unwrapKey,
} from "../../../kernel/pii-keys";
import type { Email } from "../domain/email.value-object";
import { piiKeys } from "./pii-keys.table";

const PURPOSE = "email-blind-index";

/** The problem of a wrong PII_MASTER_KEY: it opens none of the keys stored under the right one. */
export const WRONG_MASTER_KEY = "PII_MASTER_KEY is wrong: it unwraps no stored key.";

/** PII_MASTER_KEY is missing, short or wrong: the routes that need it answer 503. */
export class PersonalDataKeyUnavailable extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "PersonalDataKeyUnavailable";
  }
}

/**
 * The blind index's key from D1, unwrapped: made (random) by the first Worker that needs it,
 * re-wrapped under PII_MASTER_KEY when only PII_MASTER_KEY_PREVIOUS opens it (a rotation).
 */
async function loadIndexKey(env: PiiSecrets & { DB: D1Database }): Promise<CryptoKey> {
  const read = readPiiKeys(env);
  if (!read.ok) throw new PersonalDataKeyUnavailable(read.problem);
  const keks = await read.keys;
  // At the primary: the key is read once per isolate, and a key just made elsewhere must be seen.
  const db = primarySession(env.DB).db();
  const stored = () => db.select().from(piiKeys).where(eq(piiKeys.name, PURPOSE)).get();
  let row = await stored();
  if (!row) {
    // Two Workers may make one at once: the first insert wins, and both read it back.
    const made = await newWrappedKey(keks, PURPOSE);
    await db
      .insert(piiKeys)
      .values({ name: PURPOSE, wrappedKey: made.wrapped })
      .onConflictDoNothing();
    row = await stored();
    if (!row) throw new Error("No email index key");
  }
  let unwrapped: Awaited<ReturnType<typeof unwrapKey>>;
  try {
    unwrapped = await unwrapKey(keks, row.wrappedKey, PURPOSE);
  } catch {
    throw new PersonalDataKeyUnavailable(WRONG_MASTER_KEY);
  }
  if (unwrapped.rewrapped !== undefined) {
    await db
      .update(piiKeys)
      .set({ wrappedKey: unwrapped.rewrapped })
      .where(and(eq(piiKeys.name, PURPOSE), eq(piiKeys.wrappedKey, row.wrappedKey)));
  }
  return importIndexKey(unwrapped.raw);
}

// Kept per isolate and pair of master secrets; a failure is not kept, so a fixed secret works
// on the next request.
let cached: { secrets: string; key: Promise<CryptoKey> } | undefined;

/** The email blind index's key; rejects with PersonalDataKeyUnavailable. */
export function emailIndexKey(env: PiiSecrets & { DB: D1Database }): Promise<CryptoKey> {
  const secrets = `${env.PII_MASTER_KEY ?? ""}\u0000${env.PII_MASTER_KEY_PREVIOUS ?? ""}`;
  if (cached?.secrets !== secrets) {
    const key = loadIndexKey(env);
    cached = { secrets, key };
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
  }
  return cached.key;
}

/**
 * The email's blind index: HMAC-SHA-256 of the canonical address under the index key, as hex.
 * Equal addresses give equal indexes, so login and uniqueness work without the address itself.
 */
export async function emailIndexOf(
  env: PiiSecrets & { DB: D1Database },
  email: Email,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await emailIndexKey(env),
    new TextEncoder().encode(email),
  );
  return toHex(new Uint8Array(mac));
}
