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
  for (const userId of userIds) {
    await env.DB.prepare("INSERT OR IGNORE INTO admin_seats (user_id) VALUES (?)")
      .bind(userId)
      .run();
  }
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

  it("holds a user's row for one change at a time, seat or no seat", async () => {
    await fresh("x", "y");
    // A user with no seat (a customer): the row made for the hold is gone when settled.
    expect(await seats().hold("c", "promote", now)).toBe("held");
    expect(await seats().hold("c", "demote", now)).toBe("busy");
    expect(await seats().release("c", "deactivate", now)).toBe("busy");
    await seats().settle("c", "promote", true);
    expect(await seats().release("c", "demote", now)).toBe("released");
    await seats().settle("c", "demote", false);
    expect(await seats().release("c", "again", now)).toBe("no-seat");
    // A stale hold is taken over.
    expect(await seats().hold("x", "first", now)).toBe("held");
    expect(await seats().hold("x", "second", later)).toBe("held");
  });

  it("gives a user one seat however often they are made an admin", async () => {
    await fresh();
    for (const lease of ["first", "second", "third"]) {
      expect(await seats().hold("x", lease, now)).toBe("held");
      await seats().settle("x", lease, true);
    }
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM admin_seats").first<{
      n: number;
    }>();
    expect(count?.n).toBe(1);
  });
});
