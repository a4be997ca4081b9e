import { z } from "zod";
import { listOf } from "./common.schema";

export const PRODUCT_NEEDS = ["source_image_url", "start_image_url"] as const;

export const ProductSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["image", "video"]),
    price_credits: z.number().int(),
    needs: z.enum(PRODUCT_NEEDS).nullable(),
    status: z.enum(["active", "paused"]),
  })
  .meta({ id: "Product" });
export type Product = z.infer<typeof ProductSchema>;

export const ProductListSchema = listOf(ProductSchema);
