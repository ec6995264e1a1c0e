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

export const mixedCurrencies = (currencies: readonly string[]): DomainError => ({
  ...invalid(
    "ORDER.MIXED_CURRENCIES",
    "items",
    `are priced in ${currencies.join(" and ")}; an order has one currency`,
  ),
  details: { currencies },
});
