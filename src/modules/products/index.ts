// The products module's public surface: its router for the gateway and its aggregate for the log.
export { productsRoutes } from "./http/products.routes";
export { productAggregate } from "./infrastructure/product.aggregate-definition";
