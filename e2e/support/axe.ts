import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * axe with the page's endless animations (a spinner, a loading bar) frozen for the scan: axe reads
 * styles and layout thousands of times, and with an animation running each read recomputes them. A
 * scan of /keys while "Load more keys" spins took 28 s instead of 8 s (loaded machine). The frozen
 * frame is one the person sees; only those animations play on after.
 */
type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;

class FrozenAxeBuilder extends AxeBuilder {
  constructor(private readonly target: Page) {
    super({ page: target });
  }

  /**
   * Taken when nothing finite is moving, and taken again if something started moving while axe read
   * the page — a toast's timer runs out and it fades (seen in CI: a toast's text at 16 % opacity,
   * "contrast 1.6"): that scan read the page between two states, neither of which a person stops at.
   */
  override async analyze(): Promise<AxeResults> {
    for (let take = 1; ; take++) {
      await this.target.waitForFunction(() =>
        document
          .getAnimations()
          .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
      );
      const frozen = await this.target.evaluateHandle(() => {
        const w = window as typeof window & { __axeMoved?: boolean; __axeWatching?: boolean };
        w.__axeMoved = false;
        if (!w.__axeWatching) {
          w.__axeWatching = true;
          for (const type of ["animationstart", "transitionrun"])
            window.addEventListener(type, () => (w.__axeMoved = true), { capture: true });
        }
        // Only what runs forever: a finite animation (a fade-in) frozen midway would be scanned at its
        // partial opacity, and it ends by itself anyway.
        const running = document
          .getAnimations()
          .filter((a) => a.playState === "running" && a.effect?.getTiming().iterations === Infinity);
        running.forEach((a) => a.pause());
        return running;
      });
      let results: AxeResults;
      try {
        results = await super.analyze();
      } finally {
        await frozen.evaluate((running) => running.forEach((a) => a.play())).catch(() => {});
        await frozen.dispose().catch(() => {});
      }
      const moved = await this.target.evaluate(
        () => (window as typeof window & { __axeMoved?: boolean }).__axeMoved,
      );
      if (!moved || take === 3) return results;
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
