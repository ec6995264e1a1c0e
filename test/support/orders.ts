import { api } from "./api";
import { dbOf } from "./shape";

export interface OrderLineBody {
  productId: string;
  quantity: number;
  status: "pending" | "reserved" | "refused" | "released" | "committed";
  sku: string | null;
  name: string | null;
  unitPrice: { amount: number; currency: string } | null;
  lineTotal: { amount: number; currency: string } | null;
  refusal: { reason: string; available?: number } | null;
}

export interface OrderBody {
  id: string;
  customerId: string;
  status: string;
  currency: string | null;
  total: { amount: number; currency: string } | null;
  lines: OrderLineBody[];
  paymentDueAt: string | null;
  cancellationReason: string | null;
  version: number;
  placedAt: string;
  updatedAt: string;
}

let counter = 0;

/** A key no other request of the file used. */
export const newKey = () => `key-${Date.now().toString(36)}-${counter++}`;

/** POST /api/orders with an Idempotency-Key (a fresh one unless given). */
export const placeOrder = (
  token: string,
  items: { productId: string; quantity: number }[],
  key: string = newKey(),
) =>
  api("/api/orders", {
    method: "POST",
    token,
    headers: { "idempotency-key": key },
    json: { items },
  });

/**
 * An Idempotency-Key's first request outlives its lease while still working (a slow product,
 * say): a retry may now take the key over.
 */
export const outliveLease = (customerId: string, key: string) =>
  dbOf("orders")
    .prepare("UPDATE idempotency_keys SET lease_until = 0 WHERE customer_id = ? AND key = ?")
    .bind(customerId, key)
    .run();

/** Places an order that must be confirmed; fails the test otherwise. */
export async function confirmedOrder(
  token: string,
  items: { productId: string; quantity: number }[],
) {
  const response = await placeOrder(token, items);
  if (response.status !== 201) {
    throw new Error(`order not confirmed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as OrderBody;
}

/** An order as `GET /api/orders/{id}` shows it to `token`. */
export const orderOf = async (id: string, token: string) =>
  (await (await api(`/api/orders/${id}`, { token })).json()) as OrderBody;

/** A product's stock as the catalogue shows it. */
export const stockOf = async (productId: string) =>
  ((await (await api(`/api/products/${productId}`)).json()) as { stock: number }).stock;
