import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Committed } from "../../../eventlog/event-log.contract";
import type { AppEnv } from "../../../gateway/app-env";
import { adminOnly, identifyIfPresent, isAdmin } from "../../../gateway/authentication";
import { rateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { unwrap } from "../../../gateway/problem";
import {
  ETAG_HEADER,
  eventList,
  eventsRoute,
  expectedVersions,
  json,
  noContentWithEtag,
  notModified,
  pageRequest,
  withEtag,
} from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import {
  BODY_STATUSES,
  GATEWAY_STATUSES,
  IdParamSchema,
  IfMatchHeaderSchema,
  IfNoneMatchHeaderSchema,
  problemResponses,
} from "../../../gateway/schemas";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { ProductView } from "../application/product.view";
import {
  adjustStock,
  archiveProduct,
  changeProduct,
  createProduct,
} from "../application/product-commands.handlers";
import { getProduct, getProductEvents, searchProducts } from "../application/product-queries";
import { type ProductId, parseProductId } from "../domain/product-id.value-object";
import { productRepository } from "../infrastructure/d1-product.repository";
import { catalogCache, forgetCachedProduct } from "./catalog-cache";
import {
  AdjustStockSchema,
  CreateProductSchema,
  PatchProductSchema,
  ProductListQuerySchema,
  ProductListSchema,
  ProductSchema,
} from "./products.schemas";

const tags = ["Products"];
const productResponse = {
  description: "The product",
  headers: ETAG_HEADER,
  content: json(ProductSchema),
};

/** What the anonymous catalogue reads say of the cache (RFC 9211; ADR 0034). */
const CACHE_STATUS_HEADER = {
  "Cache-Status": {
    schema: { type: "string" as const },
    description:
      "`edge-commerce-api; hit` when the answer came from the Cloudflare location's cache, " +
      "`edge-commerce-api; fwd=miss` (`; stored` when kept) when it did not, " +
      "`edge-commerce-api; fwd=bypass` for requests with a token or a D1 bookmark.",
  },
};

const idOf = (raw: string) => unwrap(parseProductId(raw));

// A full-text search costs far more than a listing: searches (with `q`) are counted per address.
const countSearches = rateLimit((env) => env.SEARCH_RATE_LIMITER, "search", {
  perNetwork: (env) => env.SEARCH_NETWORK_RATE_LIMITER,
});
const searchRateLimit = createMiddleware<AppEnv>((c, next) =>
  c.req.query("q") === undefined ? next() : countSearches(c, next),
);

/** An admin write to one product: `If-Match` honoured, the product back with its new `ETag`. */
const writeRoute = <Body extends z.ZodType>(
  method: "patch" | "post",
  path: "/{id}" | "/{id}/stock",
  operationId: string,
  summary: string,
  body: Body,
) =>
  createRoute({
    method,
    path,
    operationId,
    tags,
    summary,
    ...adminOnly,
    request: {
      params: IdParamSchema(),
      headers: IfMatchHeaderSchema(),
      body: { required: true, content: json(body) },
    },
    responses: {
      200: productResponse,
      ...problemResponses(400, 401, 403, 404, 409, 412, ...BODY_STATUSES, ...GATEWAY_STATUSES),
    },
  });

async function written(
  c: Context<AppEnv>,
  command: (target: {
    id: ProductId;
    expectedVersions: readonly number[] | undefined;
  }) => Promise<Result<Committed<ProductView>, DomainError>>,
) {
  const target = { id: idOf(c.req.param("id") ?? ""), expectedVersions: expectedVersions(c) };
  const { view } = unwrap(await command(target));
  await forgetCachedProduct(c, view.id);
  return withEtag(c, view, 200);
}

export const buildProductsRoutes = () =>
  createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        operationId: "createProduct",
        tags,
        summary: "Create a product (admin)",
        ...adminOnly,
        request: { body: { required: true, content: json(CreateProductSchema) } },
        responses: {
          201: {
            ...productResponse,
            headers: { ...ETAG_HEADER, Location: { schema: { type: "string" } } },
          },
          ...problemResponses(400, 401, 403, 409, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const { view } = unwrap(
          await createProduct(productRepository(c.env, c.var.d1), c.req.valid("json")),
        );
        await forgetCachedProduct(c, view.id);
        c.header("Location", `/api/products/${view.id}`);
        return withEtag(c, view, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        operationId: "listProducts",
        tags,
        summary: "Search and list active products (public; searches rate limited per address)",
        security: [],
        middleware: [searchRateLimit, catalogCache],
        request: { query: ProductListQuerySchema() },
        responses: {
          200: {
            description: "A page of products",
            headers: CACHE_STATUS_HEADER,
            content: json(ProductListSchema),
          },
          ...problemResponses(400, 429, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const { cursor, q, minPrice, maxPrice, currency, sort, limit } = c.req.valid("query");
        const page = unwrap(
          await searchProducts(productRepository(c.env, c.var.d1), {
            limit,
            ...(cursor === undefined ? {} : { cursor }),
            ...(q === undefined ? {} : { q }),
            ...(minPrice === undefined ? {} : { minPrice }),
            ...(maxPrice === undefined ? {} : { maxPrice }),
            ...(currency === undefined ? {} : { currency }),
            ...(sort === undefined ? {} : { sort }),
          }),
        );
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}",
        operationId: "getProduct",
        tags,
        summary: "Read a product (public; archived ones only for admins)",
        security: identifyIfPresent.security,
        middleware: [catalogCache, identifyIfPresent.middleware],
        request: { params: IdParamSchema(), headers: IfNoneMatchHeaderSchema() },
        responses: {
          200: { ...productResponse, headers: { ...ETAG_HEADER, ...CACHE_STATUS_HEADER } },
          304: {
            description: "Not modified since the given ETag",
            headers: { ...ETAG_HEADER, ...CACHE_STATUS_HEADER },
          },
          ...problemResponses(400, 401, 404, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const principal = c.get("principal");
        const product = unwrap(
          await getProduct(productRepository(c.env, c.var.d1), idOf(c.req.valid("param").id), {
            includeArchived: principal !== undefined && isAdmin(principal),
          }),
        );
        return notModified(c, product.version) ?? withEtag(c, product, 200);
      },
    )
    .openapi(
      writeRoute(
        "patch",
        "/{id}",
        "updateProduct",
        "Change a product's name, description or price (admin)",
        PatchProductSchema,
      ),
      (c) =>
        written(c, (target) =>
          changeProduct(productRepository(c.env, c.var.d1), { ...target, ...c.req.valid("json") }),
        ),
    )
    .openapi(
      writeRoute(
        "post",
        "/{id}/stock",
        "adjustStock",
        "Adjust stock by a delta (admin); never below zero",
        AdjustStockSchema,
      ),
      (c) =>
        written(c, (target) =>
          adjustStock(productRepository(c.env, c.var.d1), { ...target, ...c.req.valid("json") }),
        ),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{id}",
        operationId: "archiveProduct",
        tags,
        summary: "Archive a product (admin; idempotent)",
        ...adminOnly,
        request: { params: IdParamSchema(), headers: IfMatchHeaderSchema() },
        responses: {
          204: { description: "Archived", headers: ETAG_HEADER },
          ...problemResponses(400, 401, 403, 404, 412, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = idOf(c.req.valid("param").id);
        const { version } = unwrap(
          await archiveProduct(productRepository(c.env, c.var.d1), id, expectedVersions(c)),
        );
        await forgetCachedProduct(c, id);
        return noContentWithEtag(c, version);
      },
    )
    .openapi(
      eventsRoute({
        operationId: "listProductEvents",
        tags,
        summary: "A product's events, oldest first (admin)",
        access: adminOnly,
      }),
      async (c) => {
        const id = idOf(c.req.valid("param").id);
        const request = pageRequest(c.req.valid("query"));
        return eventList(
          c,
          unwrap(await getProductEvents(productRepository(c.env, c.var.d1), id, request)),
        );
      },
    );
