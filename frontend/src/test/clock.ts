// The clocks in the SPA's tests. The server's clock is what pages must use: it comes with the
// signed-in person (GET /me → today, current_week) in every fixture. The browser's clock is set
// years away from it, so that a page that read the browser's clock instead would show.
import { afterEach, beforeEach, vi } from "vitest";

/** The server's today in the fixtures: Wednesday 25 November 2026, in week 2026-W48. */
export const SERVER_TODAY = "2026-11-25";
export const SERVER_WEEK = "2026-W48";

/** The browser's clock in the tests, far from the server's. */
export const BROWSER_NOW = "2031-07-14T09:00:00Z";

/** Fakes the browser's clock (`Date` only) for every test of the file that calls it. */
export function useBrowserClock(now: string = BROWSER_NOW): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(now));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
