import {
  type EventPageRequest,
  type EventView,
  pageOfExistingLog,
} from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { Committed } from "../../../eventlog/event-log.contract";
import { type DomainError, forbidden } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { orderNotFound } from "../domain/order.errors";
import { canAccessOrder, type OrderReader } from "../domain/order-access";
import type { OrderId } from "../domain/order-id.value-object";
import type { OrderListCriteria, OrderRepository } from "./order.repository";
import type { OrderView } from "./order.view";

/** The order, if the reader may see it; "not found" otherwise, revealing nothing. */
export async function getOrder(
  repository: OrderRepository,
  id: OrderId,
  reader: OrderReader,
): Promise<Result<OrderView, DomainError>> {
  const order = await repository.findById(id);
  return order && canAccessOrder(reader, order) ? ok(order) : err(orderNotFound());
}

export async function getOrderEvents(
  repository: OrderRepository,
  id: OrderId,
  reader: OrderReader,
  request: EventPageRequest,
): Promise<Result<Page<EventView>, DomainError>> {
  const order = await getOrder(repository, id, reader);
  if (!order.ok) return order;
  return pageOfExistingLog(await repository.eventsOf(id, request), request, orderNotFound);
}

/** A customer lists their own orders; an admin lists anyone's, by customer if asked. */
export async function listOrders(
  repository: OrderRepository,
  reader: OrderReader,
  criteria: OrderListCriteria,
): Promise<Result<Page<OrderView>, DomainError>> {
  if (reader.role === "admin") return repository.list(criteria);
  if (criteria.customerId !== undefined && criteria.customerId !== reader.id) {
    return err(forbidden("ORDER.FORBIDDEN", "Only admins may list other customers' orders."));
  }
  return repository.list({ ...criteria, customerId: reader.id });
}

/**
 * The order where the command's saga came to rest, as its log answered (the log waits for D1
 * to hold it, so a read that follows shows the same); the command's error else.
 */
export const orderAfter = (
  outcome: Result<Committed<OrderView>, DomainError>,
): Result<OrderView, DomainError> => (outcome.ok ? ok(outcome.value.view) : outcome);
