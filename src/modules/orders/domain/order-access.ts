/** Who is asking, as far as order access is concerned. */
export interface OrderReader {
  readonly id: string;
  readonly role: string;
}

/** An order is its customer's and the admins' to see and cancel; nobody else's (OWASP API1). */
export const canAccessOrder = (reader: OrderReader, order: { customerId: string }): boolean =>
  reader.role === "admin" || order.customerId === reader.id;
