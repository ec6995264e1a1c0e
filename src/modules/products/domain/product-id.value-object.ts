import type { Brand } from "../../../kernel/brand";
import { newId, parseId } from "../../../kernel/ids";

export type ProductId = Brand<string, "ProductId">;

export const newProductId = (): ProductId => newId() as ProductId;

export const parseProductId = (raw: string) => parseId<ProductId>(raw, "PRODUCT.INVALID_ID");
