import { html } from "../components/escape";
import type { Page } from "../page";
import { setFlash, signOut } from "../session";

// "Sign out" in the navigation is a link here: this route ends the session (POST logout) and
// goes to the sign-in page.
export const signOutPage: Page = {
  path: "/sign-out",
  title: "Signing out",
  access: "public",
  async render(view) {
    view.show(html`<h1 class="govuk-heading-l">Signing out</h1>`);
    let provider: string | null = null;
    try {
      if (view.me) provider = await signOut();
    } catch {
      // Already signed out, or the server is unreachable: either way the session is over here.
    }
    if (provider && /^https?:\/\//.test(provider)) {
      // Signed in through the council's provider: end its session too (it comes back here).
      window.location.assign(provider);
      return;
    }
    setFlash({ heading: "You have signed out", success: false, title: "Signed out" });
    view.navigate("/sign-in", { replace: true });
  },
};
