import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { maintenanceCursors } from "../db/maintenance-cursors.table";

/** Where `job` stopped in an earlier run; undefined when it starts from the beginning. */
export async function savedCursor(db: Database, job: string): Promise<string | undefined> {
  const saved = await db
    .select({ cursor: maintenanceCursors.cursor })
    .from(maintenanceCursors)
    .where(eq(maintenanceCursors.job, job))
    .get();
  return saved?.cursor;
}

/** Keeps where `job` stopped, for its next run; undefined forgets it, so the next starts over. */
export async function saveCursor(
  db: Database,
  job: string,
  cursor: string | undefined,
): Promise<void> {
  if (cursor === undefined) {
    await db.delete(maintenanceCursors).where(eq(maintenanceCursors.job, job));
    return;
  }
  await db
    .insert(maintenanceCursors)
    .values({ job, cursor })
    .onConflictDoUpdate({ target: maintenanceCursors.job, set: { cursor } });
}
