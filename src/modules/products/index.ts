// The products module's public surface: its router for the gateway, its aggregate for the log,
// and what the orders module needs to reserve stock through each product's own log.
export type { ProductView } from "./application/product.view";
export type {
  CommitReservation,
  ReleaseStock,
  ReserveStock,
} from "./domain/product.commands";
export { buildProductsRoutes } from "./http/products.routes";
export { catalogCurrencies } from "./infrastructure/catalog-currencies.query";
export {
  PRODUCT_AGGREGATE,
  productAggregate,
} from "./infrastructure/product.aggregate-definition";
