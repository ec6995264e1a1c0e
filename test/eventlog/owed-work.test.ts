import { describe, expect, it } from "vitest";
import { EFFECT_ATTEMPTS } from "../../src/eventlog/event-log.do";
import { EventStore } from "../../src/eventlog/event-store";
import { newId } from "../../src/kernel/ids";
import { executeChore, inChoreLog } from "../support/chore-log";

const HOUR = 60 * 60 * 1000;

const effectAttemptRows = (storage: DurableObjectStorage) =>
  storage.sql.exec("SELECT key, attempts FROM effect_attempts").toArray();

describe("what a stream owes", () => {
  it("keeps its deadline's alarm when an append fails while a projection is in flight", async () => {
    const id = newId();
    await inChoreLog(id, async (log, storage) => {
      const dueAt = Date.now() + HOUR;
      await executeChore(log, id, { type: "PlanChore", dueAt });
      // Set no later than the deadline (an alarm set sooner stays; it then settles again).
      expect(await storage.getAlarm()).not.toBeNull();
      expect(await storage.getAlarm()).toBeLessThanOrEqual(dueAt);

      // The note's projection is still on its way to D1 when the poisoned append throws.
      const [noted, poisoned] = await Promise.allSettled([
        executeChore(log, id, { type: "Note" }),
        executeChore(log, id, { type: "Poison" }),
      ]);

      expect(noted).toMatchObject({ status: "fulfilled", value: { ok: true } });
      expect(poisoned).toMatchObject({ status: "rejected", reason: { name: "TypeError" } });
      expect(new EventStore(storage).head()).toMatchObject({ version: 2, projectedVersion: 2 });
      const alarm = await storage.getAlarm();
      expect(alarm).not.toBeNull();
      expect(alarm).toBeLessThanOrEqual(dueAt);
      // The log goes on from its stored state.
      expect(await executeChore(log, id, { type: "Note" })).toMatchObject({
        ok: true,
        value: { version: 3, view: { notes: 2 } },
      });
      await storage.deleteAlarm();
    });
  });

  it("forgets an effect's failures once the effect is given up", async () => {
    const id = newId();
    await inChoreLog(id, async (log, storage) => {
      // An errand to a log whose type no object knows: every attempt fails.
      const errandTo = { aggregateType: "nowhere", aggregateId: id };
      await executeChore(log, id, { type: "PlanChore", dueAt: Date.now() + HOUR, errandTo });
      expect(effectAttemptRows(storage)).toEqual([{ key: "errand", attempts: 1 }]);

      // As if it had failed all but once already, and its backoff were over.
      storage.sql.exec("UPDATE effect_attempts SET attempts = ?, next_at = 0", EFFECT_ATTEMPTS - 1);
      await executeChore(log, id, { type: "Note" });

      const store = new EventStore(storage);
      expect(store.readAfter(0).map((event) => event.type)).toEqual([
        "ChorePlanned",
        "NoteDone",
        "GiveUpErrandDone",
      ]);
      expect(effectAttemptRows(storage)).toEqual([]);
      await storage.deleteAlarm();
    });
  });
});
