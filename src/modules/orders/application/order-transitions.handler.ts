import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { CancelOrder, DeliverOrder, PayOrder, ShipOrder } from "../domain/order.commands";
import type { OrderReader } from "../domain/order-access";
import type { OrderId } from "../domain/order-id.value-object";
import type { OrderRepository } from "./order.repository";
import type { OrderView } from "./order.view";
import { getOrder, orderAfter } from "./order-queries";

export type OrderTransition = PayOrder | ShipOrder | DeliverOrder | CancelOrder;

/**
 * Moves an order on (`If-Match` honoured) and returns it once its saga came to rest (a
 * cancellation's units released, a shipment's committed). An order the caller may not access
 * is "not found", so its existence is not revealed.
 */
export async function changeOrder(
  repository: OrderRepository,
  input: {
    id: OrderId;
    reader: OrderReader;
    /** The transition, which may depend on the order (who cancels it, say). */
    command: (current: OrderView) => OrderTransition;
    expectedVersions?: readonly number[];
    correlationId: string;
  },
): Promise<Result<OrderView, DomainError>> {
  const current = await getOrder(repository, input.id, input.reader);
  if (!current.ok) return current;
  const outcome = await repository.save(input.id, input.command(current.value), {
    correlationId: input.correlationId,
    ...(input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions }),
  });
  return orderAfter(outcome);
}
