import type { Money } from "../../../kernel/money";
import type { Product } from "../domain/product.aggregate";
import type { ProductStatus } from "../domain/product-status";

/** A product as the API shows it. Reservations stay inside the product's log. */
export interface ProductView {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly stock: number;
  readonly status: ProductStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const toProductView = (product: Product, version: number): ProductView => ({
  id: product.id,
  sku: product.sku,
  name: product.name,
  description: product.description,
  price: product.price,
  stock: product.stock,
  status: product.status,
  version,
  createdAt: product.createdAt,
  updatedAt: product.updatedAt,
});
