import { queryOptions } from "@tanstack/react-query";
import { apiFetch, lazySchema } from "../client";

const ProductListSchema = lazySchema(
  () => import("../contract/products.schema"),
  (m) => m.ProductListSchema,
);

export const productQueries = {
  all: () => ["products"] as const,
  list: () =>
    queryOptions({
      queryKey: [...productQueries.all(), "list"] as const,
      queryFn: ({ signal }) => apiFetch("/products", ProductListSchema, { signal }),
      staleTime: 60_000,
    }),
};
