import type { Brand } from "../../../kernel/brand";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";

/** A stock-keeping unit: 3 to 32 of A-Z, 0-9 and "-", upper-cased, unique across products. */
export type Sku = Brand<string, "Sku">;

const SKU_SHAPE = /^[A-Z0-9-]{3,32}$/;

export const parseSku = (raw: string): Result<Sku, DomainError> => {
  const sku = raw.trim().toUpperCase();
  return SKU_SHAPE.test(sku)
    ? ok(sku as Sku)
    : err(invalid("PRODUCT.INVALID_SKU", "sku", "must be 3 to 32 of A-Z, 0-9 and -"));
};
