import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { ProductStatus } from "../domain/product-status";

/**
 * The products read model. SKU uniqueness is enforced by unique_claims before an event is
 * appended; full-text search lives in the FTS5 table `products_fts`, kept in step by triggers
 * (migrations/0003_products_search.sql). Each index serves one sort of the public list.
 */
export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    priceAmount: integer("price_amount").notNull(),
    priceCurrency: text("price_currency").notNull(),
    stock: integer("stock").notNull(),
    status: text("status").$type<ProductStatus>().notNull(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("products_sku_idx").on(table.sku),
    index("products_status_created_idx").on(table.status, table.createdAt, table.id),
    index("products_status_price_idx").on(table.status, table.priceAmount, table.id),
    index("products_status_name_idx").on(table.status, table.name, table.id),
  ],
);

export type ProductRow = typeof products.$inferSelect;
