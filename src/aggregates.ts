import type { AggregateRegistry } from "./eventlog/aggregate-definition";
import { orderAggregate } from "./modules/orders";
import { productAggregate } from "./modules/products";
import { userAggregate } from "./modules/users";

/** Every aggregate type the event log can run, by type name. */
export const aggregateRegistry: AggregateRegistry = {
  [userAggregate.type]: userAggregate,
  [productAggregate.type]: productAggregate,
  [orderAggregate.type]: orderAggregate,
};
