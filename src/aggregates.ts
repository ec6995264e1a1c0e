import type { AggregateRegistry } from "./eventlog/aggregate-definition";
import { userAggregate } from "./modules/users";

/** Every aggregate type the event log can run, by type name. */
export const aggregateRegistry: AggregateRegistry = {
  [userAggregate.type]: userAggregate,
};
