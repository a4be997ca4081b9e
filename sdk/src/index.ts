export {
  type Balance,
  type CallOptions,
  type CreateJob,
  FINAL_STATUSES,
  Genmedia,
  type GenmediaOptions,
  type Job,
  type JobList,
  type JobListQuery,
  type JobStatus,
  type Product,
  type Upload,
  unwrap,
  type WaitOptions,
} from "./client.js";
export {
  type ErrorCode,
  type ErrorEnvelope,
  GenmediaError,
  isErrorEnvelope,
  UnexpectedResponseError,
} from "./errors.js";
export { backoffDelay, DEFAULT_RETRY, type RetryEvent, type RetryOptions } from "./retry.js";
export type { components, paths } from "./generated/openapi.js";
