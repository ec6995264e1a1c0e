import type { EventPageRequest, EventView } from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { ProductCommand } from "../domain/product.commands";
import type { ProductId } from "../domain/product-id.value-object";
import type { ProductView } from "./product.view";

export const PRODUCT_SORTS = [
  "createdAt",
  "-createdAt",
  "price",
  "-price",
  "name",
  "-name",
] as const;

export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductSearch {
  readonly limit: number;
  readonly cursor?: string;
  /** Words to find in name and description; results are ranked unless `sort` is given. */
  readonly q?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly currency?: string;
  readonly sort?: ProductSort;
}

/** The products module's port: reads from D1, commands through each product's own log. */
export interface ProductRepository {
  findById(id: ProductId): Promise<ProductView | undefined>;
  /** Active products only. */
  search(criteria: ProductSearch): Promise<Result<Page<ProductView>, DomainError>>;
  eventsOf(id: ProductId, page: EventPageRequest): Promise<Result<Page<EventView>, DomainError>>;
  save(
    id: ProductId,
    command: ProductCommand,
    expectedVersions?: readonly number[],
  ): Promise<Result<Committed<ProductView>, DomainError>>;
}
