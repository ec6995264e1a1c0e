import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommandOutcome } from "../../../src/eventlog/event-log.contract";
import type { EventLogObject } from "../../../src/eventlog/event-log.do";
import { api, signedInAdmin, signedUpMember } from "../../support/api";
import { executeIn, logOf, readLog } from "../../support/event-logs";
import { type OrderBody, orderOf, stockOf } from "../../support/orders";
import { createProduct } from "../../support/products";

const PAYMENT_TIMEOUT_MS = 500;

/**
 * A confirmed order of 2 units whose payment deadline has just passed, and whose alarm has not
 * run: the test runs it. (Alarms fire on their own in the test runtime; this one is put off.)
 */
async function overdueOrder() {
  const { token: admin } = await signedInAdmin();
  const { user, token } = await signedUpMember();
  const tea = await createProduct(admin, { stock: 5 });
  const orderId = crypto.randomUUID();
  const placed = await executeIn("order", orderId, {
    type: "PlaceOrder",
    customerId: user.id,
    currency: "EUR",
    items: [{ productId: tea.id, quantity: 2 }],
    paymentTimeoutMs: PAYMENT_TIMEOUT_MS,
  });
  const log = logOf("order", orderId);
  await runInDurableObject(log, (_instance, state) =>
    state.storage.setAlarm(Date.now() + 3_600_000),
  );
  expect(placed.ok).toBe(true);
  expect(await orderOf(orderId, token)).toMatchObject({ status: "confirmed" });
  await new Promise((resolve) => setTimeout(resolve, PAYMENT_TIMEOUT_MS + 100));
  return { admin, token, tea, orderId, log };
}

describe("the payment deadline", () => {
  it("does not cancel an order paid while its alarm was on its way: the payment wins", async () => {
    const { token, tea, orderId, log } = await overdueOrder();

    // The alarm starts (it first waits on D1 in the object's queue) and a payment arrives right
    // behind it, as happens when the deadline and the payment meet.
    const paid = await runInDurableObject(log, async (instance: EventLogObject) => {
      const alarm = instance.alarm();
      const payment = instance.execute({
        aggregateType: "order",
        aggregateId: orderId,
        command: { type: "PayOrder" },
      });
      const [, outcome] = await Promise.all([alarm, payment]);
      return outcome as CommandOutcome<OrderBody>;
    });

    expect(paid).toMatchObject({ ok: true, value: { view: { status: "paid" } } });
    const { events } = await readLog(log);
    expect(events.map((event) => event.type)).toEqual([
      "OrderPlaced",
      "LineReserved",
      "OrderConfirmed",
      "OrderPaid",
    ]);
    expect(await orderOf(orderId, token)).toMatchObject({
      status: "paid",
      cancellationReason: null,
      lines: [{ status: "reserved" }],
    });
    expect(await stockOf(tea.id)).toBe(3);
    // Nothing is due any more: no alarm is left to fire again.
    expect(await runDurableObjectAlarm(log)).toBe(false);
  });

  it("accepts a payment after the deadline while the order is still confirmed (a late alarm)", async () => {
    const { admin, token, tea, orderId, log } = await overdueOrder();

    const paid = await api(`/api/orders/${orderId}/pay`, { method: "POST", token: admin });

    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ status: "paid" });
    // The alarm, late, finds nothing to expire.
    await runDurableObjectAlarm(log);
    expect(await orderOf(orderId, token)).toMatchObject({ status: "paid" });
    expect(await stockOf(tea.id)).toBe(3);
  });

  it("cancels an order still confirmed at its deadline, and returns its stock", async () => {
    const { admin, token, tea, orderId, log } = await overdueOrder();

    expect(await runDurableObjectAlarm(log)).toBe(true);

    expect(await orderOf(orderId, token)).toMatchObject({
      status: "cancelled",
      cancellationReason: "payment_timeout",
      lines: [{ status: "released" }],
    });
    expect(await stockOf(tea.id)).toBe(5);
    const late = await api(`/api/orders/${orderId}/pay`, { method: "POST", token: admin });
    expect(late.status).toBe(409);
    expect(await runDurableObjectAlarm(log)).toBe(false);
  });
});
