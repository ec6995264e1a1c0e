import { parseBoundedText } from "../../../kernel/bounded-text";
import type { Brand } from "../../../kernel/brand";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";

export type ProductName = Brand<string, "ProductName">;
export type ProductDescription = Brand<string, "ProductDescription">;

export const PRODUCT_NAME_MAX_LENGTH = 200;
export const PRODUCT_DESCRIPTION_MAX_LENGTH = 5000;

export const parseProductName = (raw: string) =>
  parseBoundedText(raw, {
    code: "PRODUCT.INVALID_NAME",
    field: "name",
    min: 1,
    max: PRODUCT_NAME_MAX_LENGTH,
  }) as Result<ProductName, DomainError>;

export const parseProductDescription = (raw: string) =>
  parseBoundedText(raw, {
    code: "PRODUCT.INVALID_DESCRIPTION",
    field: "description",
    min: 0,
    max: PRODUCT_DESCRIPTION_MAX_LENGTH,
  }) as Result<ProductDescription, DomainError>;
