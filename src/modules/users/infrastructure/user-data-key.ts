import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { STREAM_DATA_KEY_PURPOSE } from "../../../eventlog/personal-data";
import { importDataKey, type PiiSecrets, readPiiKeys, unwrapKey } from "../../../kernel/pii-keys";
import { PersonalDataKeyUnavailable, WRONG_MASTER_KEY } from "./email-index";
import { userDataKeys } from "./user-data-keys.table";

/**
 * The user's data key from D1's copy, to open the user's events there; undefined once erased
 * (or for a user that never had one). Not cached across requests: the export and the events
 * list are rare.
 */
export async function userDataKeyOf(
  db: Database,
  secrets: PiiSecrets,
  userId: string,
): Promise<CryptoKey | undefined> {
  const row = await db
    .select({ wrappedKey: userDataKeys.wrappedKey })
    .from(userDataKeys)
    .where(eq(userDataKeys.userId, userId))
    .get();
  if (!row) return undefined;
  const read = readPiiKeys(secrets);
  if (!read.ok) throw new PersonalDataKeyUnavailable(read.problem);
  try {
    return importDataKey(
      (await unwrapKey(await read.keys, row.wrappedKey, STREAM_DATA_KEY_PURPOSE)).raw,
    );
  } catch {
    throw new PersonalDataKeyUnavailable(WRONG_MASTER_KEY);
  }
}
