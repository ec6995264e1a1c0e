import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** A Drizzle handle over the D1 binding, typed with every table of the schema. */
export const openDatabase = (d1: D1Database) => drizzle(d1, { schema });

export type Database = ReturnType<typeof openDatabase>;
