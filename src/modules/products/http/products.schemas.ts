import { z } from "@hono/zod-openapi";
import {
  builtOnFirstUse,
  CurrencyField,
  checkedBy,
  MoneySchema,
  PageQuerySchema,
  queryInteger,
} from "../../../gateway/schemas";
import { PRODUCT_SORTS } from "../application/product.repository";
import { MAX_STOCK } from "../domain/product.aggregate";
import { PRODUCT_STATUSES } from "../domain/product-status";
import { parseProductDescription, parseProductName } from "../domain/product-text.value-objects";
import { parseSku } from "../domain/sku.value-object";

// Fields of request bodies, built inside the bodies' lazy schemas (see ProblemSchema).
const skuField = () =>
  z.string().superRefine(checkedBy(parseSku)).openapi({
    example: "TEA-EARL-GREY-250",
    description: "3 to 32 of A-Z, 0-9 and -; upper-cased.",
  });
const nameField = () =>
  z.string().superRefine(checkedBy(parseProductName)).openapi({ example: "Earl Grey, 250 g" });
const descriptionField = () =>
  z
    .string()
    .superRefine(checkedBy(parseProductDescription))
    .openapi({ example: "Black tea with bergamot." });

const PRODUCT_EXAMPLE = {
  id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72",
  sku: "TEA-EARL-GREY-250",
  name: "Earl Grey, 250 g",
  description: "Black tea with bergamot.",
  price: { amount: 899, currency: "EUR" },
  stock: 20,
  status: "active" as const,
  version: 1,
  createdAt: "2026-11-20T09:30:00.000Z",
  updatedAt: "2026-11-20T09:30:00.000Z",
};

export const ProductSchema = z.lazy(() =>
  z
    .object({
      id: z.uuid(),
      sku: z.string(),
      name: z.string(),
      description: z.string(),
      price: MoneySchema,
      stock: z
        .number()
        .int()
        .openapi({
          description:
            "Units in stock. An anonymous read may come from the Cloudflare location's cache and be " +
            "up to `CATALOG_CACHE_SECONDS` (10) old; orders never trust it, they reserve from the " +
            "product's own log.",
        }),
      status: z.enum(PRODUCT_STATUSES),
      version: z.number().int().openapi({ description: "Also the `ETag`." }),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .openapi("Product", { example: PRODUCT_EXAMPLE }),
);

export const CreateProductSchema = z.lazy(() =>
  z
    .strictObject({
      sku: skuField(),
      name: nameField(),
      description: descriptionField().optional(),
      price: MoneySchema,
      stock: z.number().int().min(0).max(MAX_STOCK).optional(),
    })
    .openapi("CreateProduct"),
);

export const PatchProductSchema = z.lazy(() =>
  z
    .strictObject({
      name: nameField().optional(),
      description: descriptionField().optional(),
      price: MoneySchema.optional(),
    })
    .openapi("PatchProduct"),
);

export const AdjustStockSchema = z.lazy(() =>
  z
    .strictObject({
      delta: z
        .number()
        .int()
        .min(-1_000_000_000)
        .max(1_000_000_000)
        .refine((delta) => delta !== 0, "must not be 0")
        .openapi({ example: -1, description: "Units to add (positive) or remove (negative)." }),
      reason: z.string().trim().min(1).max(200).openapi({ example: "stocktake" }),
    })
    .openapi("AdjustStock"),
);

const Price = queryInteger(0, Number.MAX_SAFE_INTEGER);

export const ProductListQuerySchema = builtOnFirstUse(() =>
  PageQuerySchema().extend({
    q: z
      .string()
      .max(200)
      .optional()
      .openapi({
        description:
          "Words to find in name and description (prefixes match). Words shorter than 2 " +
          "characters are dropped; a query of only those is a 400. Rate limited per address.",
      }),
    minPrice: Price.openapi({ type: "integer", minimum: 0, description: "In minor units." }),
    maxPrice: Price.openapi({ type: "integer", minimum: 0, description: "In minor units." }),
    currency: CurrencyField().optional(),
    sort: z.enum(PRODUCT_SORTS).optional().openapi({
      description:
        "A leading `-` sorts descending. Default: relevance with `q`, else `-createdAt` (newest first).",
    }),
  }),
);

export const ProductListSchema = z.lazy(() =>
  z
    .object({ items: z.array(ProductSchema), nextCursor: z.string().nullable() })
    .openapi("ProductList", {
      example: { items: [PRODUCT_EXAMPLE], nextCursor: "eyJrIjpbIjIwMjYtMTEtMjAiXX0" },
    }),
);
