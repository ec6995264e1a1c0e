import { and, eq, lte, not, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { uniqueClaims } from "../db/unique-claims.table";
import type { UniqueClaim } from "./aggregate-definition";

const sameClaim = (claim: UniqueClaim): SQL =>
  and(eq(uniqueClaims.scope, claim.scope), eq(uniqueClaims.value, claim.value)) as SQL;

/**
 * Claims each value for `owner` at `version` (the owner's version whose state holds it), in
 * order. Claiming a value the owner already holds succeeds (retries are safe) and moves its
 * version up, so a late projection of an older state cannot release it. On the first value held
 * by someone else, releases what this call claimed and returns that value.
 */
export async function acquireClaims(
  db: Database,
  owner: string,
  claims: readonly UniqueClaim[],
  version: number,
): Promise<UniqueClaim | undefined> {
  const acquired: UniqueClaim[] = [];
  for (const claim of claims) {
    const [, holders] = await db.batch([
      db
        .insert(uniqueClaims)
        .values({ ...claim, owner, version })
        .onConflictDoUpdate({
          target: [uniqueClaims.scope, uniqueClaims.value],
          set: { version },
          setWhere: eq(uniqueClaims.owner, owner),
        }),
      db.select({ owner: uniqueClaims.owner }).from(uniqueClaims).where(sameClaim(claim)),
    ]);
    if (holders[0]?.owner !== owner) {
      await releaseClaims(db, owner, acquired);
      return claim;
    }
    acquired.push(claim);
  }
  return undefined;
}

/** Releases the given values if `owner` holds them. */
export async function releaseClaims(
  db: Database,
  owner: string,
  claims: readonly UniqueClaim[],
): Promise<void> {
  if (claims.length === 0) return;
  await db
    .delete(uniqueClaims)
    .where(and(eq(uniqueClaims.owner, owner), or(...claims.map(sameClaim))));
}

/**
 * A statement that releases every value `owner` holds except `kept`, among those claimed at
 * versions up to `upToVersion`: a state releases only what an older or equal state claimed, so
 * a late batch of an older state never releases a newer claim. Idempotent, for projections.
 */
export function releaseClaimsExcept(
  db: Database,
  owner: string,
  kept: readonly UniqueClaim[],
  upToVersion: number,
): BatchItem<"sqlite"> {
  return db
    .delete(uniqueClaims)
    .where(
      and(
        eq(uniqueClaims.owner, owner),
        lte(uniqueClaims.version, upToVersion),
        kept.length === 0 ? undefined : (not(or(...kept.map(sameClaim)) as SQL) as SQL),
      ),
    );
}

/** Claims in `next` that `previous` does not hold. */
export const newClaims = (
  previous: readonly UniqueClaim[],
  next: readonly UniqueClaim[],
): UniqueClaim[] =>
  next.filter(
    (claim) => !previous.some((held) => held.scope === claim.scope && held.value === claim.value),
  );
