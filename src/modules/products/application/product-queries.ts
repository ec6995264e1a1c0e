import {
  type EventPageRequest,
  type EventView,
  pageOfExistingLog,
} from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import { parseCurrency } from "../../../kernel/money";
import { err, ok, type Result } from "../../../kernel/result";
import { productNotFound } from "../domain/product.errors";
import type { ProductId } from "../domain/product-id.value-object";
import type { ProductRepository, ProductSearch } from "./product.repository";
import type { ProductView } from "./product.view";

/** A product; archived ones only for callers who may see them (admins). */
export async function getProduct(
  repository: ProductRepository,
  id: ProductId,
  { includeArchived }: { includeArchived: boolean },
): Promise<Result<ProductView, DomainError>> {
  const product = await repository.findById(id);
  if (!product || (product.status === "archived" && !includeArchived)) {
    return err(productNotFound());
  }
  return ok(product);
}

export async function getProductEvents(
  repository: ProductRepository,
  id: ProductId,
  request: EventPageRequest,
): Promise<Result<Page<EventView>, DomainError>> {
  return pageOfExistingLog(await repository.eventsOf(id, request), request, productNotFound);
}

export async function searchProducts(
  repository: ProductRepository,
  criteria: ProductSearch,
): Promise<Result<Page<ProductView>, DomainError>> {
  if (criteria.currency === undefined) return repository.search(criteria);
  const currency = parseCurrency(criteria.currency);
  if (!currency.ok) return currency;
  return repository.search({ ...criteria, currency: currency.value });
}
