// Every page of the service. A new page is one file in src/pages/ plus one line here; a `nav`
// entry on the page puts it in the service navigation for the roles it names.
import type { Page } from "./page";
import { accessibilityPage } from "./pages/accessibility";
import { acceptInvitationPage } from "./pages/acceptInvitation";
import { councilPage } from "./pages/council";
import { homePage } from "./pages/home";
import { notFoundPage } from "./pages/notFound";
import { profilePage } from "./pages/profile";
import { signInPage } from "./pages/signIn";
import { signOutPage } from "./pages/signOut";

export const pages: readonly Page[] = [
  homePage,
  signInPage,
  signOutPage,
  profilePage,
  councilPage,
  acceptInvitationPage,
  accessibilityPage,
];

export { notFoundPage };
