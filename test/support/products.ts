import { api, uniqueEmail } from "./api";

export interface ProductBody {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: { amount: number; currency: string };
  stock: number;
  status: "active" | "archived";
  version: number;
  createdAt: string;
  updatedAt: string;
}

let counter = 0;

/** A SKU no other test in the file has used. */
export const uniqueSku = (prefix = "SKU"): string =>
  `${prefix}-${Date.now().toString(36).toUpperCase()}-${counter++}`;

/** Creates a product as `adminToken`; fails the test unless it succeeds. */
export async function createProduct(
  adminToken: string,
  fields: Partial<Omit<ProductBody, "id" | "status" | "version" | "createdAt" | "updatedAt">> = {},
): Promise<ProductBody> {
  const response = await api("/api/products", {
    method: "POST",
    token: adminToken,
    json: {
      sku: uniqueSku(),
      name: "Earl Grey",
      description: "Black tea with bergamot.",
      price: { amount: 899, currency: "EUR" },
      stock: 10,
      ...fields,
    },
  });
  if (response.status !== 201) {
    throw new Error(`product creation failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as ProductBody;
}

export { uniqueEmail };
