export interface ServiceWorker {
  name: "products" | "orders" | "users" | "gateway";
  config: string;
  database: boolean;
  secrets: readonly string[];
}
export const ALL_SECRETS: readonly string[];
export const SERVICES: readonly ServiceWorker[];
export const DEV_ORDER: readonly ServiceWorker[];
