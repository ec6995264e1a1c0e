export const PRODUCT_STATUSES = ["active", "archived"] as const;

export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
