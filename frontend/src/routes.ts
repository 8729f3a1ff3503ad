// Every page of the service. A new page is one file in src/pages/ plus one line here; a `nav`
// entry on the page puts it in the service navigation for the roles it names.
import type { Page } from "./page";
import { accessibilityPage } from "./pages/accessibility";
import { acceptInvitationPage } from "./pages/acceptInvitation";
import { approvalsPage } from "./pages/approvals";
import { availabilityPage } from "./pages/availability";
import { availabilityWeekPage } from "./pages/availabilityWeek";
import { councilPage } from "./pages/council";
import { findPage } from "./pages/find";
import { homePage } from "./pages/home";
import { notFoundPage } from "./pages/notFound";
import { officerPage } from "./pages/officer";
import { profilePage } from "./pages/profile";
import { signInPage } from "./pages/signIn";
import { signOffPage } from "./pages/signOff";
import { signOffRejectPage } from "./pages/signOffReject";
import { signOutPage } from "./pages/signOut";

export const pages: readonly Page[] = [
  homePage,
  signInPage,
  signOutPage,
  profilePage,
  availabilityPage,
  availabilityWeekPage,
  signOffPage,
  signOffRejectPage,
  approvalsPage,
  findPage,
  officerPage,
  councilPage,
  acceptInvitationPage,
  accessibilityPage,
];

export { notFoundPage };
