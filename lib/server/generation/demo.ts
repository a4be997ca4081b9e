import { setTimeout as sleep } from "node:timers/promises";
import { env } from "../env";
import {
  type Availability,
  type GenerationAsk,
  GenerationAborted,
  type GenerationBackend,
  GenerationError,
  type GenerationRequest,
  type GenerationResult,
} from "./backend";
import { renderEdit, renderTextToImage, renderVideo, seedHash } from "./demo-render";
import { hasTrigger } from "./triggers";

/**
 * The built-in backend: renders real images locally, takes DEMO_GENERATION_MS per job, and obeys the
 * test triggers (`!fail`, `!fail-once`, `!unavailable`).
 */
export class DemoBackend implements GenerationBackend {
  readonly name = "demo";

  /** `generationMs` overrides DEMO_GENERATION_MS (read at each job, so tests can set it late). */
  constructor(private readonly options: { generationMs?: number } = {}) {}

  availability(ask: GenerationAsk): Availability {
    if (hasTrigger(ask.prompt, "unavailable")) {
      return { available: false, reason: "The demo backend is unavailable (test trigger !unavailable)." };
    }
    return { available: true };
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const started = Date.now();
    const duration = this.options.generationMs ?? env().DEMO_GENERATION_MS;
    const failAlways = hasTrigger(request.prompt, "fail");
    if (failAlways || (hasTrigger(request.prompt, "failOnce") && request.attempt === 1)) {
      // Fail halfway through, as a real backend would.
      await wait(duration / 2, request.signal);
      throw new GenerationError(
        failAlways
          ? "The demo generator failed on purpose (test trigger !fail)."
          : "The demo generator failed on purpose (test trigger !fail-once, first attempt).",
      );
    }
    const result = await render(request);
    await wait(duration - (Date.now() - started), request.signal);
    return result;
  }
}

function render(request: GenerationRequest): Promise<GenerationResult> {
  const hash = seedHash(request.product.id, request.prompt, request.params);
  const { product, prompt, params, input } = request;
  if (product.needs && !input) throw new GenerationError(`${product.id} needs an input image.`);
  if (product.kind === "video") return renderVideo(hash, prompt, params, input!.bytes);
  if (product.needs === "source_image_url") return renderEdit(hash, prompt, params, input!.bytes);
  return renderTextToImage(hash, prompt, params);
}

async function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new GenerationAborted();
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new GenerationAborted();
  }
}
