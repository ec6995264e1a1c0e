import type { EventPageRequest, EventView } from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { OrderCommand } from "../domain/order.commands";
import type { OrderId } from "../domain/order-id.value-object";
import type { OrderStatus } from "../domain/order-status";
import type { OrderView } from "./order.view";

export interface OrderListCriteria {
  readonly limit: number;
  readonly cursor?: string;
  /** Only this customer's orders (always set for a customer; optional for an admin). */
  readonly customerId?: string;
  readonly status?: OrderStatus;
}

export interface OrderCommandOptions {
  readonly expectedVersions?: readonly number[];
  /** Makes the command idempotent across requests (the placement's Idempotency-Key). */
  readonly commandId?: string;
  /** The flow the command belongs to, stamped on its events and the products' (a request id). */
  readonly correlationId?: string;
}

/**
 * The orders module's port: reads from D1, commands through each order's own log. A command
 * returns once the order's saga has come to rest and D1 shows it.
 */
export interface OrderRepository {
  findById(id: OrderId): Promise<OrderView | undefined>;
  list(criteria: OrderListCriteria): Promise<Result<Page<OrderView>, DomainError>>;
  eventsOf(id: OrderId, page: EventPageRequest): Promise<Result<Page<EventView>, DomainError>>;
  save(
    id: OrderId,
    command: OrderCommand,
    options?: OrderCommandOptions,
  ): Promise<Result<Committed<OrderView>, DomainError>>;
}
