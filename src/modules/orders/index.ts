// The orders module's public surface: its router, its aggregate for the log, and its upkeep.
export { buildOrdersRoutes } from "./http/orders.routes";
export { orderAggregate } from "./infrastructure/order.aggregate-definition";
export { purgeIdempotencyKeysJob } from "./infrastructure/purge-idempotency-keys.job";
export { purgeOrderHoldsJob } from "./infrastructure/purge-order-holds.job";
