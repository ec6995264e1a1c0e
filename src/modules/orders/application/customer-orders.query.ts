import { PAGE_LIMIT_MAX } from "../../../gateway/schemas";
import type { OrderRepository } from "./order.repository";
import type { OrderView } from "./order.view";

/**
 * Every order of one customer, oldest first, as the orders API shows them: for a personal-data
 * export (GDPR Art. 15 and 20). Orders name their customer by id only, so nothing here needs
 * opening, and an erasure leaves them as they are (accounting law keeps them).
 */
export async function ordersOfCustomer(
  repository: OrderRepository,
  customerId: string,
): Promise<OrderView[]> {
  const orders: OrderView[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list({
      limit: PAGE_LIMIT_MAX,
      customerId,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!page.ok) throw new Error(page.error.code);
    orders.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return orders;
}
