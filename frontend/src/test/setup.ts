// Test set-up for jsdom: what main.ts, the stylesheet and a real browser would provide.
import { afterEach, vi } from "vitest";

document.body.classList.add("govuk-frontend-supported");

// GOV.UK Frontend's responsive components read the breakpoints from the stylesheet.
const style = document.createElement("style");
style.textContent = ":root { --govuk-breakpoint-mobile: 20rem; --govuk-breakpoint-tablet: 40.0625rem; --govuk-breakpoint-desktop: 48.0625rem; }";
document.head.append(style);

// jsdom implements neither scrolling nor media queries.
window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
window.matchMedia = ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;

afterEach(() => {
  document.body.innerHTML = "";
});
