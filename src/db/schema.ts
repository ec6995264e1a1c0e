// Every D1 table, for Drizzle's typed queries and for drizzle-kit's migration generator.

export { idempotencyKeys } from "../modules/orders/infrastructure/idempotency-keys.table";
export { orderHolds } from "../modules/orders/infrastructure/order-holds.table";
export { orders } from "../modules/orders/infrastructure/orders.table";
export { products } from "../modules/products/infrastructure/products.table";
export { adminSeats } from "../modules/users/infrastructure/admin-seats.table";
export { piiKeys } from "../modules/users/infrastructure/pii-keys.table";
export { refreshTokens } from "../modules/users/infrastructure/refresh-tokens.table";
export { userCredentials } from "../modules/users/infrastructure/user-credentials.table";
export { userDataKeys } from "../modules/users/infrastructure/user-data-keys.table";
export { users } from "../modules/users/infrastructure/users.table";
export { domainEvents } from "./domain-events.table";
export { maintenanceCursors } from "./maintenance-cursors.table";
export { uniqueClaims } from "./unique-claims.table";
