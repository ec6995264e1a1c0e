import { describe, expect, it } from "vitest";
import { api, signedInAdmin } from "../support/api";
import { logOf, readLog } from "../support/event-logs";
import { createProduct, type ProductBody } from "../support/products";
import { OBJECTS_INSPECTABLE } from "../support/shape";

describe("stock under concurrent adjustments", () => {
  it("sells exactly 20 of 20 to 50 concurrent buyers: 20 succeed, 30 get 409, none oversold", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 20 });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api(`/api/products/${product.id}/stock`, {
          method: "POST",
          token,
          json: { delta: -1, reason: "sold" },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    const refused = await responses.find((response) => response.status === 409)?.json();
    expect(refused).toMatchObject({ code: "PRODUCT.INSUFFICIENT_STOCK", currentStock: 0 });

    const shown = (await (await api(`/api/products/${product.id}`)).json()) as ProductBody;
    expect(shown.stock).toBe(0);
    if (!OBJECTS_INSPECTABLE) return;
    // Inside the objects: only the monolith's runner can look (OBJECTS_INSPECTABLE).
    const { events } = await readLog(logOf("product", product.id));
    const adjustments = events.filter((event) => event.type === "StockAdjusted");
    expect(adjustments).toHaveLength(20);
    expect(adjustments.map((event) => (event.data as { stock: number }).stock)).toEqual(
      Array.from({ length: 20 }, (_, index) => 19 - index),
    );
  });
});
