import type { Brand } from "../../../kernel/brand";
import { newId, parseId } from "../../../kernel/ids";

export type OrderId = Brand<string, "OrderId">;

export const newOrderId = (): OrderId => newId() as OrderId;

export const parseOrderId = (raw: string) => parseId<OrderId>(raw, "ORDER.INVALID_ID");
