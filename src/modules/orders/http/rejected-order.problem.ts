import type { ProblemInput } from "../../../gateway/problem";
import type { OrderView } from "../application/order.view";

/** The 409 of a rejected placement: the order's id and each line's outcome and reason. */
export const rejectedOrderProblem = (order: Pick<OrderView, "id" | "lines">): ProblemInput => ({
  status: 409,
  code: "ORDER.REJECTED",
  detail: "A line could not be reserved; nothing is held for this order.",
  extensions: {
    orderId: order.id,
    lines: order.lines.map(({ productId, quantity, status, refusal }) => ({
      productId,
      quantity,
      status,
      refusal,
    })),
  },
});
