import type { DomainError } from "../../../kernel/domain-error";
import {
  type Decider,
  type DecisionContext,
  type RecordedEvent,
  unknownEvent,
} from "../../../kernel/events";
import type { Money } from "../../../kernel/money";
import { err, ok, type Result } from "../../../kernel/result";
import type {
  CancellationReason,
  OrderCommand,
  PlaceOrder,
  RecordReservation,
  RefuseLine,
} from "./order.commands";
import { invalidItems, invalidTransition, orderAlreadyExists, orderNotFound } from "./order.errors";
import type { OrderEvent } from "./order.events";
import type { LineStatus, OrderStatus, RefusalReason } from "./order-status";

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly status: LineStatus;
  /** Known once reserved: copied from the product's log at that moment. */
  readonly sku?: string;
  readonly name?: string;
  readonly unitPrice?: Money;
  readonly lineTotal?: Money;
  readonly refusal?: { readonly reason: RefusalReason; readonly available?: number };
}

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly currency: string | null;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  /** Set on confirmation: the sum of the line totals. */
  readonly total?: Money;
  readonly paymentTimeoutMs: number;
  readonly paymentDueAt?: string;
  readonly cancellationReason?: CancellationReason;
  readonly placedAt: string;
  readonly updatedAt: string;
}

/** `null` until the order is placed. */
export type OrderState = Order | null;

type Decision = Result<OrderEvent[], DomainError>;

export const MAX_LINES = 50;
export const MAX_QUANTITY = 1000;

const isQuantity = (value: number) =>
  Number.isSafeInteger(value) && value >= 1 && value <= MAX_QUANTITY;

const place = (command: PlaceOrder, state: OrderState, context: DecisionContext): Decision => {
  if (state) return err(orderAlreadyExists());
  const { items } = command;
  if (items.length < 1 || items.length > MAX_LINES) {
    return err(invalidItems(`must hold 1 to ${MAX_LINES} lines`));
  }
  if (!items.every((item) => isQuantity(item.quantity))) {
    return err(invalidItems(`quantities must be whole numbers from 1 to ${MAX_QUANTITY}`));
  }
  if (new Set(items.map((item) => item.productId)).size !== items.length) {
    return err(invalidItems("may name a product at most once"));
  }
  return ok([
    {
      type: "OrderPlaced",
      data: {
        orderId: context.aggregateId,
        customerId: command.customerId,
        currency: command.currency,
        lines: items.map(({ productId, quantity }) => ({ productId, quantity })),
        paymentTimeoutMs: command.paymentTimeoutMs,
      },
    },
  ]);
};

const lineOf = (order: Order, productId: string) =>
  order.lines.find((line) => line.productId === productId);

/** Answers that come after the line moved on (a retry, a late answer) change nothing. */
const reserved = (command: RecordReservation, order: Order, context: DecisionContext): Decision => {
  const line = lineOf(order, command.productId);
  if (line?.status !== "pending") return ok([]);
  const lineTotal = {
    amount: command.unitPrice.amount * line.quantity,
    currency: command.unitPrice.currency,
  };
  const events: OrderEvent[] = [
    {
      type: "LineReserved",
      data: {
        productId: line.productId,
        sku: command.sku,
        name: command.name,
        unitPrice: command.unitPrice,
        quantity: line.quantity,
        lineTotal,
      },
    },
  ];
  const othersReserved = order.lines.every(
    (other) => other.productId === line.productId || other.status === "reserved",
  );
  if (order.status === "pending" && othersReserved) {
    const total = order.lines.reduce(
      (sum, other) =>
        sum + (other.productId === line.productId ? lineTotal : (other.lineTotal as Money)).amount,
      0,
    );
    const due = new Date(Date.parse(context.now) + order.paymentTimeoutMs).toISOString();
    events.push({
      type: "OrderConfirmed",
      data: { total: { amount: total, currency: lineTotal.currency }, paymentDueAt: due },
    });
  }
  return ok(events);
};

/** One refused line rejects a pending order; what other lines hold is then released. */
const refused = (command: RefuseLine, order: Order): Decision => {
  const line = lineOf(order, command.productId);
  if (line?.status !== "pending") return ok([]);
  const events: OrderEvent[] = [
    {
      type: "LineRefused",
      data: {
        productId: line.productId,
        reason: command.reason,
        ...(command.available === undefined ? {} : { available: command.available }),
      },
    },
  ];
  if (order.status === "pending") events.push({ type: "OrderRejected", data: {} });
  return ok(events);
};

const lineMoved = (
  order: Order,
  productId: string,
  from: readonly LineStatus[],
  event: "LineReleased" | "LineCommitted",
): Decision => {
  const line = lineOf(order, productId);
  return line && from.includes(line.status) ? ok([{ type: event, data: { productId } }]) : ok([]);
};

/**
 * Only a `confirmed` order past its deadline expires. Anything else (paid, cancelled, not yet
 * due) means the order moved on before the deadline's turn came: nothing to do, and no error.
 */
const expire = (order: Order, context: DecisionContext): Decision =>
  order.status === "confirmed" &&
  order.paymentDueAt !== undefined &&
  Date.parse(context.now) >= Date.parse(order.paymentDueAt)
    ? ok([{ type: "OrderCancelled", data: { reason: "payment_timeout" } }])
    : ok([]);

/** A transition from one of `from` to the event's status; any other is a 409 naming the status. */
const transition = (
  order: Order,
  from: readonly OrderStatus[],
  action: string,
  event: OrderEvent,
): Decision =>
  from.includes(order.status) ? ok([event]) : err(invalidTransition(action, order.status));

export const decideOrder = (
  command: OrderCommand,
  state: OrderState,
  context: DecisionContext,
): Decision => {
  if (command.type === "PlaceOrder") return place(command, state, context);
  if (!state) return err(orderNotFound());
  switch (command.type) {
    case "RecordReservation":
      return reserved(command, state, context);
    case "RefuseLine":
      return refused(command, state);
    case "RecordRelease":
      return lineMoved(
        state,
        command.productId,
        ["pending", "reserved", "refused"],
        "LineReleased",
      );
    case "RecordCommit":
      return lineMoved(state, command.productId, ["reserved"], "LineCommitted");
    case "PayOrder":
      return transition(state, ["confirmed"], "paid", { type: "OrderPaid", data: {} });
    case "ShipOrder":
      return transition(state, ["paid"], "shipped", { type: "OrderShipped", data: {} });
    case "DeliverOrder":
      return transition(state, ["shipped"], "delivered", { type: "OrderDelivered", data: {} });
    case "CancelOrder":
      return transition(state, ["pending", "confirmed", "paid"], "cancelled", {
        type: "OrderCancelled",
        data: { reason: command.reason },
      });
    case "ExpireOrder":
      return expire(state, context);
  }
};

const withLine = (order: Order, productId: string, change: (line: OrderLine) => OrderLine) =>
  order.lines.map((line) => (line.productId === productId ? change(line) : line));

export const evolveOrder = (state: OrderState, event: RecordedEvent<OrderEvent>): OrderState => {
  const updatedAt = event.occurredAt;
  if (event.type === "OrderPlaced") {
    const { orderId, lines, ...fields } = event.data;
    return {
      id: orderId,
      ...fields,
      status: "pending",
      lines: lines.map((line) => ({ ...line, status: "pending" })),
      placedAt: event.occurredAt,
      updatedAt,
    };
  }
  if (!state) throw new Error(`${event.type} cannot come before OrderPlaced`);
  switch (event.type) {
    case "LineReserved": {
      const { productId, quantity: _quantity, ...priced } = event.data;
      const lines = withLine(state, productId, (line) => ({
        ...line,
        ...priced,
        status: "reserved",
      }));
      return { ...state, lines, updatedAt };
    }
    case "LineRefused": {
      const { productId, ...refusal } = event.data;
      const lines = withLine(state, productId, (line) => ({ ...line, status: "refused", refusal }));
      return { ...state, lines, updatedAt };
    }
    case "LineReleased":
      return {
        ...state,
        lines: withLine(state, event.data.productId, (line) => ({ ...line, status: "released" })),
        updatedAt,
      };
    case "LineCommitted":
      return {
        ...state,
        lines: withLine(state, event.data.productId, (line) => ({ ...line, status: "committed" })),
        updatedAt,
      };
    case "OrderConfirmed":
      return { ...state, status: "confirmed", ...event.data, updatedAt };
    case "OrderRejected":
      return { ...state, status: "rejected", updatedAt };
    case "OrderPaid":
      return { ...state, status: "paid", updatedAt };
    case "OrderShipped":
      return { ...state, status: "shipped", updatedAt };
    case "OrderDelivered":
      return { ...state, status: "delivered", updatedAt };
    case "OrderCancelled":
      return { ...state, status: "cancelled", cancellationReason: event.data.reason, updatedAt };
    default:
      return unknownEvent(event);
  }
};

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = {
  initialState: () => null,
  evolve: evolveOrder,
  decide: decideOrder,
};

/** What the order still owes products: one verb per line at most, derived from state. */
export type OwedStep = {
  readonly verb: "reserve" | "release" | "commit";
  readonly line: OrderLine;
};

/**
 * The saga's outbox, read off the state: reserve each line while the order is pending; once it
 * is rejected or cancelled, release every line that holds or may hold units (a pending line's
 * reservation may be in flight, and a line given up as `unavailable` may have been reserved by
 * a call whose answer was lost: their release also stops a late reservation); once shipped,
 * commit what the lines hold.
 */
export function owedSteps(order: OrderState): OwedStep[] {
  if (!order) return [];
  const steps = (verb: OwedStep["verb"], holds: (line: OrderLine) => boolean) =>
    order.lines.filter(holds).map((line) => ({ verb, line }));
  switch (order.status) {
    case "pending":
      return steps("reserve", (line) => line.status === "pending");
    case "rejected":
    case "cancelled":
      return steps(
        "release",
        (line) =>
          line.status === "pending" ||
          line.status === "reserved" ||
          (line.status === "refused" && line.refusal?.reason === "unavailable"),
      );
    case "shipped":
    case "delivered":
      return steps("commit", (line) => line.status === "reserved");
    default:
      return [];
  }
}
