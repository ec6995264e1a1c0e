import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import {
  d1AdminSeats,
  STALE_SEAT_HOLD_MS,
} from "../../../../src/modules/users/infrastructure/d1-admin-seats";

const seats = () => d1AdminSeats(openDatabase(env.DB));
const now = new Date();
const later = new Date(now.getTime() + STALE_SEAT_HOLD_MS + 1000);

async function fresh(...userIds: string[]) {
  await env.DB.exec("DELETE FROM admin_seats");
  for (const userId of userIds) await seats().take(userId);
}

describe("admin seats in D1", () => {
  it("never releases the last seat that no change holds", async () => {
    await fresh("x", "y");
    expect(await seats().release("x", "change-1", now)).toBe("released");
    expect(await seats().release("y", "change-2", now)).toBe("last");
    await seats().settle("x", "change-1", false);
    expect(await seats().release("y", "change-3", now)).toBe("last");
    expect(await seats().release("nobody", "change-4", now)).toBe("no-seat");
  });

  it("gives a seat back when its user is still an admin after the change", async () => {
    await fresh("x", "y");
    expect(await seats().release("x", "change-1", now)).toBe("released");
    await seats().settle("x", "change-1", true);
    expect(await seats().release("y", "change-2", now)).toBe("released");
  });

  it("lets one change at a time hold a seat, and a stale hold be taken over", async () => {
    await fresh("x", "y", "z");
    expect(await seats().release("x", "first", now)).toBe("released");
    expect(await seats().release("x", "second", now)).toBe("busy");
    expect(await seats().release("x", "third", later)).toBe("released");
    // The first change's late settling no longer touches a seat another change holds.
    await seats().settle("x", "first", false);
    expect(await seats().release("x", "fourth", now)).toBe("busy");
    await seats().settle("x", "third", true);
    expect(await seats().release("x", "fifth", now)).toBe("released");
  });

  it("takes a seat once however often it is taken", async () => {
    await fresh("x", "x", "x");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM admin_seats").first<{
      n: number;
    }>();
    expect(count?.n).toBe(1);
  });
});
