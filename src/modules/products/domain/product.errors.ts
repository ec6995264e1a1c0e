import { conflict, type DomainError, invalid, notFound } from "../../../kernel/domain-error";

export const productNotFound = (): DomainError => notFound("PRODUCT.NOT_FOUND", "No such product.");

export const productAlreadyExists = (): DomainError =>
  conflict("PRODUCT.ALREADY_EXISTS", "A product with this id already exists.");

export const productArchived = (): DomainError =>
  conflict("PRODUCT.ARCHIVED", "The product is archived: it cannot be changed or ordered.");

export const skuTaken = (): DomainError =>
  conflict("PRODUCT.SKU_TAKEN", "Another product already uses this SKU.");

export const insufficientStock = (currentStock: number, requested: number): DomainError =>
  conflict(
    "PRODUCT.INSUFFICIENT_STOCK",
    `Only ${currentStock} in stock; cannot take ${requested}.`,
    { currentStock, requested },
  );

export const invalidQuantity = (field: string): DomainError =>
  invalid("PRODUCT.INVALID_QUANTITY", field, "must be a whole number other than 0");

export const currencyMismatch = (currency: string, requested: string): DomainError =>
  conflict("PRODUCT.CURRENCY_MISMATCH", `The product is priced in ${currency}, not ${requested}.`, {
    currency,
    requested,
  });

export const reservationReleased = (): DomainError =>
  conflict(
    "PRODUCT.RESERVATION_RELEASED",
    "This order's reservation was already released; it cannot reserve again.",
  );

export const reservationTooLate = (): DomainError =>
  conflict("PRODUCT.RESERVATION_TOO_LATE", "The order is too old to reserve stock now.");
