import type { DomainError } from "../../../kernel/domain-error";
import {
  type Decider,
  type DecisionContext,
  type RecordedEvent,
  unknownEvent,
} from "../../../kernel/events";
import { type Money, sameMoney } from "../../../kernel/money";
import { err, ok, type Result } from "../../../kernel/result";
import type {
  AdjustStock,
  ChangeProduct,
  CreateProduct,
  ProductCommand,
  ReserveStock,
} from "./product.commands";
import {
  currencyMismatch,
  insufficientStock,
  invalidQuantity,
  productAlreadyExists,
  productArchived,
  productNotFound,
  reservationReleased,
  reservationTooLate,
} from "./product.errors";
import type { ProductEvent } from "./product.events";
import type { ProductId } from "./product-id.value-object";
import type { ProductStatus } from "./product-status";
import type { ProductDescription, ProductName } from "./product-text.value-objects";
import type { Sku } from "./sku.value-object";

export interface Product {
  readonly id: ProductId;
  readonly sku: Sku;
  readonly name: ProductName;
  readonly description: ProductDescription;
  readonly price: Money;
  /** Units available: on hand minus what orders hold. Never negative. */
  readonly stock: number;
  readonly status: ProductStatus;
  /** Units held per live order id, so a reservation is made and released at most once. */
  readonly reservations: Readonly<Record<string, number>>;
  /**
   * When each order released what it held here (ISO-8601), so a reservation that arrives after
   * its release is refused. Kept for RESERVATION_WINDOW_MS only: a reservation is refused anyway
   * once its order is older than that, so the state stays bounded.
   */
  readonly releasedOrders: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `null` until the product is created. */
export type ProductState = Product | null;

type Decision = Result<ProductEvent[], DomainError>;

/** How long after its order was placed a reservation may arrive. */
export const RESERVATION_WINDOW_MS = 60 * 60 * 1000;

/** The most units a product may hold: far beyond any warehouse, far below float imprecision. */
export const MAX_STOCK = 1_000_000_000_000;

const isCount = (value: number) => Number.isSafeInteger(value) && value >= 0 && value <= MAX_STOCK;

const create = (
  command: CreateProduct,
  state: ProductState,
  context: DecisionContext,
): Decision => {
  if (state) return err(productAlreadyExists());
  if (!isCount(command.stock)) return err(invalidQuantity("stock"));
  const { type: _type, ...fields } = command;
  return ok([
    { type: "ProductCreated", data: { productId: context.aggregateId as ProductId, ...fields } },
  ]);
};

/** The live product a change applies to, or the error that refuses the change. */
const changeable = (state: ProductState): Result<Product, DomainError> => {
  if (!state) return err(productNotFound());
  if (state.status === "archived") return err(productArchived());
  return ok(state);
};

const change = (command: ChangeProduct, state: ProductState): Decision => {
  if (!state) return err(productNotFound());
  const events: ProductEvent[] = [];
  const name = command.name !== undefined && command.name !== state.name ? command.name : undefined;
  const description =
    command.description !== undefined && command.description !== state.description
      ? command.description
      : undefined;
  if (name !== undefined || description !== undefined) {
    events.push({
      type: "ProductDetailsChanged",
      data: {
        ...(name === undefined ? {} : { name }),
        ...(description === undefined ? {} : { description }),
      },
    });
  }
  if (command.price && !sameMoney(command.price, state.price)) {
    events.push({
      type: "ProductPriceChanged",
      data: { previousPrice: state.price, price: command.price },
    });
  }
  // A no-op is allowed even when archived: it changes nothing, so nothing is refused.
  if (events.length > 0 && state.status === "archived") return err(productArchived());
  return ok(events);
};

const adjust = (command: AdjustStock, state: ProductState): Decision => {
  const product = changeable(state);
  if (!product.ok) return product;
  if (!Number.isSafeInteger(command.delta) || command.delta === 0) {
    return err(invalidQuantity("delta"));
  }
  const stock = product.value.stock + command.delta;
  if (stock < 0) return err(insufficientStock(product.value.stock, -command.delta));
  if (stock > MAX_STOCK) return err(invalidQuantity("delta"));
  return ok([
    { type: "StockAdjusted", data: { delta: command.delta, reason: command.reason, stock } },
  ]);
};

const reserve = (
  command: ReserveStock,
  state: ProductState,
  context: DecisionContext,
): Decision => {
  const product = changeable(state);
  if (!product.ok) return product;
  if (product.value.reservations[command.orderId] !== undefined) return ok([]);
  if (product.value.releasedOrders[command.orderId] !== undefined) {
    return err(reservationReleased());
  }
  if (Date.parse(context.now) - Date.parse(command.placedAt) > RESERVATION_WINDOW_MS) {
    return err(reservationTooLate());
  }
  if (command.currency !== product.value.price.currency) {
    return err(currencyMismatch(product.value.price.currency, command.currency));
  }
  if (!Number.isSafeInteger(command.quantity) || command.quantity <= 0) {
    return err(invalidQuantity("quantity"));
  }
  const stock = product.value.stock - command.quantity;
  if (stock < 0) return err(insufficientStock(product.value.stock, command.quantity));
  return ok([
    {
      type: "StockReserved",
      data: { orderId: command.orderId, quantity: command.quantity, stock },
    },
  ]);
};

const release = (orderId: string, state: ProductState): Decision => {
  if (!state) return err(productNotFound());
  if (state.releasedOrders[orderId] !== undefined) return ok([]);
  const quantity = state.reservations[orderId] ?? 0;
  return ok([
    { type: "StockReleased", data: { orderId, quantity, stock: state.stock + quantity } },
  ]);
};

const commit = (orderId: string, state: ProductState): Decision => {
  if (!state) return err(productNotFound());
  const quantity = state.reservations[orderId];
  if (quantity === undefined) return ok([]);
  return ok([{ type: "ReservationCommitted", data: { orderId, quantity } }]);
};

export const decideProduct = (
  command: ProductCommand,
  state: ProductState,
  context: DecisionContext,
): Decision => {
  switch (command.type) {
    case "CreateProduct":
      return create(command, state, context);
    case "ChangeProduct":
      return change(command, state);
    case "AdjustStock":
      return adjust(command, state);
    case "ReserveStock":
      return reserve(command, state, context);
    case "ReleaseStock":
      return release(command.orderId, state);
    case "CommitReservation":
      return commit(command.orderId, state);
    case "ArchiveProduct":
      if (!state) return err(productNotFound());
      return ok(state.status === "archived" ? [] : [{ type: "ProductArchived", data: {} }]);
  }
};

const without = <T>(entries: Readonly<Record<string, T>>, orderId: string) =>
  Object.fromEntries(Object.entries(entries).filter(([id]) => id !== orderId));

/** The releases still inside the reservation window at `now`. */
const recentReleases = (released: Readonly<Record<string, string>>, now: string) => {
  const horizon = Date.parse(now) - RESERVATION_WINDOW_MS;
  return Object.fromEntries(Object.entries(released).filter(([, at]) => Date.parse(at) >= horizon));
};

export const evolveProduct = (
  state: ProductState,
  event: RecordedEvent<ProductEvent>,
): ProductState => {
  if (event.type === "ProductCreated") {
    const { productId, ...fields } = event.data;
    return {
      id: productId,
      ...fields,
      status: "active",
      reservations: {},
      releasedOrders: {},
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    };
  }
  const updatedAt = event.occurredAt;
  if (!state) throw new Error(`${event.type} cannot come before ProductCreated`);
  switch (event.type) {
    case "ProductDetailsChanged":
      return { ...state, ...event.data, updatedAt };
    case "ProductPriceChanged":
      return { ...state, price: event.data.price, updatedAt };
    case "StockAdjusted":
      return { ...state, stock: event.data.stock, updatedAt };
    case "StockReserved":
      return {
        ...state,
        stock: event.data.stock,
        reservations: { ...state.reservations, [event.data.orderId]: event.data.quantity },
        releasedOrders: recentReleases(state.releasedOrders, updatedAt),
        updatedAt,
      };
    case "StockReleased":
      return {
        ...state,
        stock: event.data.stock,
        reservations: without(state.reservations, event.data.orderId),
        releasedOrders: {
          ...recentReleases(state.releasedOrders, updatedAt),
          [event.data.orderId]: updatedAt,
        },
        updatedAt,
      };
    case "ReservationCommitted":
      return {
        ...state,
        reservations: without(state.reservations, event.data.orderId),
        updatedAt,
      };
    case "ProductArchived":
      return { ...state, status: "archived", updatedAt };
    default:
      return unknownEvent(event);
  }
};

export const productDecider: Decider<ProductState, ProductCommand, ProductEvent> = {
  initialState: () => null,
  evolve: evolveProduct,
  decide: decideProduct,
};
