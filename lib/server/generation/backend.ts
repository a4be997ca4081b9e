import type { JobParams } from "@/lib/api/contract/jobs.schema";

export type ProductSpec = {
  id: string;
  kind: "image" | "video";
  needs: "source_image_url" | "start_image_url" | null;
};

/** What a job asks for, as a backend sees it at creation (no input bytes yet). */
export type GenerationAsk = { product: ProductSpec; prompt: string; params: JobParams };

export type GenerationInput = { bytes: Buffer; contentType: string };

export type GenerationRequest = GenerationAsk & {
  jobId: string;
  /** 1 for the first attempt of this run, 2 for the next after a failure… */
  attempt: number;
  /** The source/start image, for products that need one. */
  input: GenerationInput | null;
  /** Aborted when the worker loses the lease or stops: give up promptly. */
  signal: AbortSignal;
};

export type GenerationResult = { bytes: Buffer; contentType: string; width: number; height: number };

export type Availability = { available: true } | { available: false; reason: string };

/**
 * A generation backend. The demo backend renders locally; a real provider (an HTTP API) implements
 * the same two calls and is chosen per product in `backendFor`.
 */
export interface GenerationBackend {
  readonly name: string;
  /**
   * Whether the backend can take this job now. Called while POST /jobs runs, so it must answer from
   * state it already holds (a health flag, a circuit breaker), never from a network call.
   * Unavailable → 502 service_unavailable, nothing charged.
   */
  availability(ask: GenerationAsk): Availability;
  /** Produces the output, or throws. A GenerationError's message is shown to the customer. */
  generate(request: GenerationRequest): Promise<GenerationResult>;
}

/** An expected failure whose message is safe to show on the job (`error.message`). */
export class GenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenerationError";
  }
}

/** Thrown by a backend when its signal aborts: the attempt did not fail, it was taken away. */
export class GenerationAborted extends Error {
  constructor() {
    super("generation aborted");
    this.name = "GenerationAborted";
  }
}

// Checked by name, not instanceof: mounted in Next, the backend and the worker may come from different
// module copies (the route bundle and the instrumentation bundle), each with its own classes.
export const isGenerationError = (error: unknown): error is GenerationError =>
  error instanceof Error && error.name === "GenerationError";
export const isGenerationAborted = (error: unknown): error is GenerationAborted =>
  error instanceof Error && error.name === "GenerationAborted";
