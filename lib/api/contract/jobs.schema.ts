import { z } from "zod";
import { listOf, timestamp } from "./common.schema";
import {
  CANCELABLE_FROM,
  JOB_STATUSES,
  type JobStatus,
  MAX_IMAGE_URL_LENGTH,
  MAX_PROMPT_LENGTH,
  RETRYABLE_FROM,
  UNFINISHED_STATUSES,
} from "./constants";

export {
  CANCELABLE_FROM,
  JOB_STATUSES,
  type JobStatus,
  MAX_IMAGE_URL_LENGTH,
  MAX_PROMPT_LENGTH,
  RETRYABLE_FROM,
  UNFINISHED_STATUSES,
};

const dimension = z.number().int().min(64).max(2048);

/** Generation parameters. Unknown keys are refused, so a typo never silently does nothing. */
export const JobParamsSchema = z
  .strictObject({
    width: dimension
      .optional()
      .meta({ description: "Output width in pixels (images; video frames fit within it)" }),
    height: dimension.optional().meta({ description: "Output height in pixels" }),
    seed: z.number().int().min(0).max(2_147_483_647).optional().meta({ description: "Varies the output" }),
    frames: z.number().int().min(2).max(48).optional().meta({ description: "Video products: frame count" }),
  })
  .meta({ id: "JobParams" });
export type JobParams = z.infer<typeof JobParamsSchema>;

const imageUrl = (what: string) =>
  z
    .url({ protocol: /^https?$/, message: "Must be an http(s) URL." })
    .max(MAX_IMAGE_URL_LENGTH)
    .meta({
      description: `${what}: the \`url\` of one of your uploads or job outputs, or a public http(s) URL we fetch (same size cap as uploads).`,
    });

export const CreateJobBodySchema = z
  .strictObject({
    product: z
      .string()
      .min(1)
      .max(100)
      .meta({ description: "A product id from GET /products", example: "text-to-image" }),
    prompt: z.string().trim().min(1, "Write a prompt.").max(MAX_PROMPT_LENGTH).meta({
      description:
        "What to generate. Test triggers: `!fail`, `!fail-once`, `!unavailable` (docs/test-triggers.md)",
    }),
    source_image_url: imageUrl("Image edit products").optional(),
    start_image_url: imageUrl("Image-to-video products").optional(),
    params: JobParamsSchema.optional(),
  })
  .meta({ id: "CreateJob" });
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>;

export const JobInputsSchema = z
  .object({
    source_image_url: z.string().optional(),
    start_image_url: z.string().optional(),
    /** The upload the referenced image resolved to (a fetched URL is copied into a new upload). */
    upload_id: z.string().optional(),
    params: JobParamsSchema.optional(),
  })
  .meta({ id: "JobInputs" });
export type JobInputs = z.infer<typeof JobInputsSchema>;

export const JobOutputSchema = z
  .object({
    url: z.string(),
    content_type: z.string(),
    width: z.number().int(),
    height: z.number().int(),
  })
  .meta({ id: "JobOutput" });
export type JobOutput = z.infer<typeof JobOutputSchema>;

export const JobErrorSchema = z
  .object({ code: z.literal("generation_failed"), message: z.string() })
  .meta({ id: "JobError" });

export const JobSchema = z
  .object({
    id: z.string(),
    product: z.string(),
    status: z.enum(JOB_STATUSES),
    prompt: z.string(),
    inputs: JobInputsSchema,
    cost_credits: z.number().int(),
    refunded: z.boolean(),
    output: JobOutputSchema.nullable(),
    error: JobErrorSchema.nullable(),
    key_id: z.string().nullable(),
    request_id: z.string().nullable(),
    attempts: z.number().int(),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
  })
  .meta({ id: "Job" });
export type Job = z.infer<typeof JobSchema>;

export const JobListSchema = listOf(JobSchema).meta({ id: "JobList" });
export type JobList = z.infer<typeof JobListSchema>;

export const JobListQuerySchema = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  product: z.string().min(1).max(100).optional(),
  key_id: z.string().min(1).max(100).optional(),
  created_after: timestamp.optional().meta({ description: "Only jobs created strictly after this time" }),
  created_before: timestamp.optional().meta({ description: "Only jobs created strictly before this time" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().meta({ description: "`next_cursor` of the previous page" }),
});
export type JobListQuery = z.infer<typeof JobListQuerySchema>;

/** GET /jobs/export.csv takes the list's filters; it streams the whole filtered set. */
export const JobExportQuerySchema = JobListQuerySchema.omit({ limit: true, cursor: true });
