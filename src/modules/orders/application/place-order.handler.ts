import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import type { OrderItem } from "../domain/order.commands";
import { mixedCurrencies, tooManyUnpaid } from "../domain/order.errors";
import type { OrderId } from "../domain/order-id.value-object";
import type { OrderRepository } from "./order.repository";
import type { OrderView } from "./order.view";
import { orderAfter } from "./order-queries";
import { HOLD_GRACE_MS, type OrderHolds, type UnpaidCaps } from "./unpaid-holds";

export interface PlaceOrderDeps {
  readonly repository: OrderRepository;
  /** The currencies the known, active products among `ids` are priced in. */
  readonly catalogCurrencies: (ids: readonly string[]) => Promise<string[]>;
  readonly paymentTimeoutMs: number;
  readonly holds: OrderHolds;
  readonly unpaidCaps: UnpaidCaps;
}

/**
 * The order's currency: the one its known products share (null when none is known; each line
 * is then refused as unknown). Products in several currencies are a 400 before any order exists.
 */
export async function orderCurrency(
  deps: PlaceOrderDeps,
  items: readonly OrderItem[],
): Promise<Result<string | null, DomainError>> {
  const currencies = await deps.catalogCurrencies(items.map((item) => item.productId));
  if (currencies.length > 1) return err(mixedCurrencies(currencies));
  return ok(currencies[0] ?? null);
}

/**
 * Takes the order's place under its customer's caps on unpaid orders, before the order exists:
 * refused (409 `ORDER.TOO_MANY_UNPAID`) when the customer's other unpaid orders leave no room.
 * The same placement retried (the same order id) takes nothing more.
 */
export async function holdForPlacement(
  deps: PlaceOrderDeps,
  input: { orderId: OrderId; customerId: string; items: readonly OrderItem[] },
  now = Date.now(),
): Promise<Result<void, DomainError>> {
  const outcome = await deps.holds.acquire(
    {
      orderId: input.orderId,
      customerId: input.customerId,
      units: input.items.reduce((sum, item) => sum + item.quantity, 0),
      expiresAt: now + deps.paymentTimeoutMs + HOLD_GRACE_MS,
    },
    deps.unpaidCaps,
    now,
  );
  return outcome.kind === "refused" ? err(tooManyUnpaid(deps.unpaidCaps, outcome)) : ok(undefined);
}

export interface PlaceOrderInput {
  readonly orderId: OrderId;
  readonly customerId: string;
  readonly currency: string | null;
  readonly items: readonly OrderItem[];
  /** The same for every attempt of one placement, so a retry never places twice. */
  readonly commandId: string;
  readonly correlationId: string;
}

/**
 * Places the order and returns it where its saga came to rest: `confirmed` when every line is
 * reserved, `rejected` when one could not be, or still `pending` when a product did not answer
 * (the order's alarm goes on, and a retry of the placement picks it up).
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: PlaceOrderInput,
): Promise<Result<OrderView, DomainError>> {
  const { orderId, commandId, correlationId, ...order } = input;
  const outcome = await deps.repository.save(
    orderId,
    { type: "PlaceOrder", ...order, paymentTimeoutMs: deps.paymentTimeoutMs },
    { commandId, correlationId },
  );
  return orderAfter(outcome);
}
