import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { type Money, parseMoney } from "../../../kernel/money";
import { ok, type Result } from "../../../kernel/result";
import { newProductId, type ProductId } from "../domain/product-id.value-object";
import {
  type ProductDescription,
  type ProductName,
  parseProductDescription,
  parseProductName,
} from "../domain/product-text.value-objects";
import { parseSku } from "../domain/sku.value-object";
import type { ProductRepository } from "./product.repository";
import type { ProductView } from "./product.view";

type Outcome = Promise<Result<Committed<ProductView>, DomainError>>;
type RawMoney = { amount: number; currency: string };

/** Parses a field when present; an absent field stays absent. */
function optional<T>(
  raw: string | RawMoney | undefined,
  parse: (value: never) => Result<T, DomainError>,
): Result<T | undefined, DomainError> {
  return raw === undefined ? ok(undefined) : parse(raw as never);
}

export async function createProduct(
  repository: ProductRepository,
  input: { sku: string; name: string; description?: string; price: RawMoney; stock?: number },
): Outcome {
  const sku = parseSku(input.sku);
  if (!sku.ok) return sku;
  const name = parseProductName(input.name);
  if (!name.ok) return name;
  const description = parseProductDescription(input.description ?? "");
  if (!description.ok) return description;
  const price = parseMoney(input.price);
  if (!price.ok) return price;
  return repository.save(newProductId(), {
    type: "CreateProduct",
    sku: sku.value,
    name: name.value,
    description: description.value,
    price: price.value,
    stock: input.stock ?? 0,
  });
}

export async function changeProduct(
  repository: ProductRepository,
  input: {
    id: ProductId;
    name?: string;
    description?: string;
    price?: RawMoney;
    expectedVersions?: readonly number[];
  },
): Outcome {
  const name = optional<ProductName>(input.name, parseProductName);
  if (!name.ok) return name;
  const description = optional<ProductDescription>(input.description, parseProductDescription);
  if (!description.ok) return description;
  const price = optional<Money>(input.price, parseMoney);
  if (!price.ok) return price;
  return repository.save(
    input.id,
    {
      type: "ChangeProduct",
      ...(name.value === undefined ? {} : { name: name.value }),
      ...(description.value === undefined ? {} : { description: description.value }),
      ...(price.value === undefined ? {} : { price: price.value }),
    },
    input.expectedVersions,
  );
}

export const adjustStock = (
  repository: ProductRepository,
  input: { id: ProductId; delta: number; reason: string; expectedVersions?: readonly number[] },
): Outcome =>
  repository.save(
    input.id,
    { type: "AdjustStock", delta: input.delta, reason: input.reason.trim() },
    input.expectedVersions,
  );

export const archiveProduct = (
  repository: ProductRepository,
  id: ProductId,
  expectedVersions?: readonly number[],
): Outcome => repository.save(id, { type: "ArchiveProduct" }, expectedVersions);
