import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * axe with the page's endless animations (a spinner, a loading bar) frozen for the scan: axe reads
 * styles and layout thousands of times, and with an animation running each read recomputes them. A
 * scan of /keys while "Load more keys" spins took 28 s instead of 8 s (loaded machine). The frozen
 * frame is one the person sees; only those animations play on after.
 */
class FrozenAxeBuilder extends AxeBuilder {
  constructor(private readonly target: Page) {
    super({ page: target });
  }

  override async analyze() {
    const frozen = await this.target.evaluateHandle(() => {
      // Only what runs forever: a finite animation (a fade-in) frozen midway would be scanned at its
      // partial opacity, and it ends by itself anyway.
      const running = document
        .getAnimations()
        .filter((a) => a.playState === "running" && a.effect?.getTiming().iterations === Infinity);
      running.forEach((a) => a.pause());
      return running;
    });
    try {
      return await super.analyze();
    } finally {
      await frozen.evaluate((running) => running.forEach((a) => a.play())).catch(() => {});
      await frozen.dispose().catch(() => {});
    }
  }
}

/**
 * axe on this page, every rule it runs by default. Legacy mode: axe runs in the page itself instead of
 * finishing its run in a new blank tab per scan, which halves a scan here (measured 2.4 s → 1.1 s; a
 * new tab per scan is what a loaded CI machine pays most for). It skips cross-origin frames, and the
 * console has no frames at all.
 */
export function axe(page: Page) {
  return new FrozenAxeBuilder(page).setLegacyMode(true);
}
