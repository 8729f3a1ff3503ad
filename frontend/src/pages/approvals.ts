// The sign-off emails link to /approvals (see app/availability/service.py): the same page as
// "Sign-off".
import type { Page } from "../page";

export const approvalsPage: Page = {
  path: "/approvals",
  title: "Sign-off",
  access: "signed-in",
  roles: ["manager"],
  render(view) {
    view.navigate("/sign-off", { replace: true });
  },
};
