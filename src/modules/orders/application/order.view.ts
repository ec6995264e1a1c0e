import type { Money } from "../../../kernel/money";
import type { Order } from "../domain/order.aggregate";
import type { LineStatus, OrderStatus, RefusalReason } from "../domain/order-status";

export interface OrderLineView {
  readonly productId: string;
  readonly quantity: number;
  readonly status: LineStatus;
  readonly sku: string | null;
  readonly name: string | null;
  readonly unitPrice: Money | null;
  readonly lineTotal: Money | null;
  readonly refusal: { readonly reason: RefusalReason; readonly available?: number } | null;
}

/** An order as the API shows it. */
export interface OrderView {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string | null;
  readonly total: Money | null;
  readonly lines: readonly OrderLineView[];
  readonly paymentDueAt: string | null;
  readonly cancellationReason: string | null;
  readonly version: number;
  readonly placedAt: string;
  readonly updatedAt: string;
}

export const toOrderView = (order: Order, version: number): OrderView => ({
  id: order.id,
  customerId: order.customerId,
  status: order.status,
  currency: order.currency,
  total: order.total ?? null,
  lines: order.lines.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    status: line.status,
    sku: line.sku ?? null,
    name: line.name ?? null,
    unitPrice: line.unitPrice ?? null,
    lineTotal: line.lineTotal ?? null,
    refusal: line.refusal ?? null,
  })),
  paymentDueAt: order.paymentDueAt ?? null,
  cancellationReason: order.cancellationReason ?? null,
  version,
  placedAt: order.placedAt,
  updatedAt: order.updatedAt,
});
