import { z } from "zod";
import { UPLOAD_CONTENT_TYPES } from "./constants";

export { UPLOAD_CONTENT_TYPES };

export const UploadSchema = z
  .object({
    id: z.string(),
    /** Stable URL of the stored bytes; usable as a job's source_image_url / start_image_url. */
    url: z.string(),
    content_type: z.enum(UPLOAD_CONTENT_TYPES),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
  })
  .meta({ id: "Upload" });
export type Upload = z.infer<typeof UploadSchema>;
