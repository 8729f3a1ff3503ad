import { notFoundContent } from "../app";
import type { Page } from "../page";

// Shown for any path that matches no route.
export const notFoundPage: Page = {
  path: "*",
  title: "Page not found",
  access: "public",
  render(view) {
    view.show(notFoundContent());
  },
};
