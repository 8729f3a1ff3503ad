// Test set-up for jsdom: what main.ts and a real browser would provide.
import { afterEach, vi } from "vitest";

document.body.classList.add("govuk-frontend-supported");
// jsdom does not implement scrolling.
window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;

afterEach(() => {
  document.body.innerHTML = "";
});
