import type { DomainError } from "../../../kernel/domain-error";
import { err, type Result } from "../../../kernel/result";
import type { CancelOrder, DeliverOrder, PayOrder, ShipOrder } from "../domain/order.commands";
import { orderNotFound } from "../domain/order.errors";
import { canAccessOrder, type OrderReader } from "../domain/order-access";
import type { OrderId } from "../domain/order-id.value-object";
import type { OrderRepository } from "./order.repository";
import type { OrderView } from "./order.view";
import { latest } from "./place-order.handler";

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
    command: OrderTransition;
    expectedVersions?: readonly number[];
    correlationId: string;
  },
): Promise<Result<OrderView, DomainError>> {
  const current = await repository.findById(input.id);
  if (!current || !canAccessOrder(input.reader, current)) return err(orderNotFound());
  const outcome = await repository.save(input.id, input.command, {
    correlationId: input.correlationId,
    ...(input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions }),
  });
  return latest(repository, input.id, outcome);
}
