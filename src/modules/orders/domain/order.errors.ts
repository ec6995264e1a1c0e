import { conflict, type DomainError, invalid, notFound } from "../../../kernel/domain-error";
import type { OrderStatus } from "./order-status";

export const orderNotFound = (): DomainError => notFound("ORDER.NOT_FOUND", "No such order.");

export const orderAlreadyExists = (): DomainError =>
  conflict("ORDER.ALREADY_EXISTS", "An order with this id already exists.");

/** A transition the order's status does not allow; names the status, as clients need it. */
export const invalidTransition = (action: string, status: OrderStatus): DomainError =>
  conflict("ORDER.INVALID_TRANSITION", `A ${status} order cannot be ${action}.`, {
    currentStatus: status,
  });

export const invalidItems = (message: string): DomainError =>
  invalid("ORDER.INVALID_ITEMS", "items", message);

/** The customer's unpaid orders hold as much as they may (ADR 0026); paying or cancelling frees it. */
export const tooManyUnpaid = (
  caps: { readonly orders: number; readonly units: number },
  unpaid: { readonly unpaidOrders: number; readonly unpaidUnits: number },
): DomainError =>
  conflict(
    "ORDER.TOO_MANY_UNPAID",
    `Unpaid orders may hold at most ${caps.orders} orders and ${caps.units} units per ` +
      "customer; pay or cancel one first.",
    { maxUnpaidOrders: caps.orders, maxUnpaidUnits: caps.units, ...unpaid },
  );

export const mixedCurrencies = (currencies: readonly string[]): DomainError => ({
  ...invalid(
    "ORDER.MIXED_CURRENCIES",
    "items",
    `are priced in ${currencies.join(" and ")}; an order has one currency`,
  ),
  details: { currencies },
});
