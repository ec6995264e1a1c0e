import { and, eq, not, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { uniqueClaims } from "../db/unique-claims.table";
import type { UniqueClaim } from "./aggregate-definition";

const sameClaim = (claim: UniqueClaim): SQL =>
  and(eq(uniqueClaims.scope, claim.scope), eq(uniqueClaims.value, claim.value)) as SQL;

/**
 * Claims each value for `owner`, in order. Claiming a value the owner already holds succeeds
 * (retries are safe). On the first value held by someone else, releases what this call claimed
 * and returns that value.
 */
export async function acquireClaims(
  db: Database,
  owner: string,
  claims: readonly UniqueClaim[],
): Promise<UniqueClaim | undefined> {
  const acquired: UniqueClaim[] = [];
  for (const claim of claims) {
    const [, holders] = await db.batch([
      db
        .insert(uniqueClaims)
        .values({ ...claim, owner })
        .onConflictDoNothing(),
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

/** A statement that releases every value `owner` holds except `kept`: idempotent, for projections. */
export function releaseClaimsExcept(
  db: Database,
  owner: string,
  kept: readonly UniqueClaim[],
): BatchItem<"sqlite"> {
  const ownedByOwner = eq(uniqueClaims.owner, owner);
  return db
    .delete(uniqueClaims)
    .where(
      kept.length === 0 ? ownedByOwner : and(ownedByOwner, not(or(...kept.map(sameClaim)) as SQL)),
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
