import { queryOptions } from "@tanstack/react-query";
import { ProductListSchema } from "../contract/products.schema";
import { apiFetch } from "../client";

export const productQueries = {
  all: () => ["products"] as const,
  list: () =>
    queryOptions({
      queryKey: [...productQueries.all(), "list"] as const,
      queryFn: ({ signal }) => apiFetch("/products", ProductListSchema, { signal }),
      staleTime: 60_000,
    }),
};
