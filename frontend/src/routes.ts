// Every page of the service. A new page is one file in src/pages/ plus one line here; a `nav`
// entry on the page puts it in the service navigation for the roles it names.
import type { Page } from "./page";
import { accessibilityPage } from "./pages/accessibility";
import { acceptInvitationPage } from "./pages/acceptInvitation";
import { approvalsPage } from "./pages/approvals";
import { availabilityPage } from "./pages/availability";
import { availabilityWeekPage } from "./pages/availabilityWeek";
import { availabilityWithdrawPage } from "./pages/availabilityWithdraw";
import { bookPage } from "./pages/book";
import { bookWeeksPage } from "./pages/bookWeeks";
import { bookingPage } from "./pages/booking";
import { bookingCancelPage } from "./pages/bookingCancel";
import { bookingConfirmPage } from "./pages/bookingConfirm";
import { bookingDeclinePage } from "./pages/bookingDecline";
import { bookingsPage } from "./pages/bookings";
import { councilPage } from "./pages/council";
import { agreementPage, leavePoolPage } from "./pages/councils/agreement";
import { auditPage, platformAuditPage } from "./pages/councils/audit";
import { joinPage, joinVerifyPage } from "./pages/councils/join";
import { officerRatePage, officersPage, peoplePage, personPage } from "./pages/councils/people";
import * as platform from "./pages/councils/platform";
import { settingsPage, settingsSectionPage } from "./pages/councils/settings";
import { findPage } from "./pages/find";
import { homePage } from "./pages/home";
import { invoicePage } from "./pages/invoice";
import { invoiceIssuePage } from "./pages/invoiceIssue";
import { invoiceIssueAllPage } from "./pages/invoiceIssueAll";
import { invoiceRunPage } from "./pages/invoiceRun";
import { invoicesPage } from "./pages/invoices";
import { notFoundPage } from "./pages/notFound";
import { notificationsPage } from "./pages/notifications";
import { requestNewPage } from "./pages/requestNew";
import { savedSearchesPage } from "./pages/savedSearches";
import { requestPage, requestsPage } from "./pages/requests";
import { officerPage } from "./pages/officer";
import { profilePage } from "./pages/profile";
import { profileWithdrawConsentPage } from "./pages/profileWithdrawConsent";
import { signInPage } from "./pages/signIn";
import { signInSsoFailedPage } from "./pages/signInSsoFailed";
import { accountPage } from "./pages/account/account";
import { councilSignInPage } from "./pages/account/councilSignIn";
import { passwordChangePage } from "./pages/account/password";
import { passwordResetChoosePage, passwordResetPage } from "./pages/account/passwordReset";
import { twoFactorPage, twoFactorResetPage } from "./pages/account/twoFactor";
import { signOffPage } from "./pages/signOff";
import { signOffRejectPage } from "./pages/signOffReject";
import { signOutPage } from "./pages/signOut";
// value (issue 15): dashboard, market rates, settlements, exchange report, pool statistics
import { dashboardPage } from "./pages/value/dashboard";
import { exchangePage } from "./pages/value/exchange";
import { marketRateEditPage, marketRatesPage } from "./pages/value/marketRates";
import { poolStatisticsPage } from "./pages/value/poolStatistics";
import { settlementPage, settlementsPage } from "./pages/value/settlements";

export const pages: readonly Page[] = [
  homePage,
  signInPage,
  // identity (issue 12)
  signInSsoFailedPage,
  passwordResetPage,
  passwordResetChoosePage,
  accountPage,
  passwordChangePage,
  twoFactorPage,
  twoFactorResetPage,
  councilSignInPage,
  signOutPage,
  profilePage,
  profileWithdrawConsentPage,
  availabilityPage,
  availabilityWeekPage,
  availabilityWithdrawPage,
  signOffPage,
  signOffRejectPage,
  approvalsPage,
  findPage,
  officerPage,
  bookPage,
  bookingsPage,
  bookingPage,
  bookingConfirmPage,
  bookingDeclinePage,
  bookingCancelPage,
  councilPage,
  invoicesPage,
  invoiceRunPage, // before /invoices/:id, which would match "run" too
  invoiceIssueAllPage, // likewise "issue-all"
  invoiceIssuePage,
  invoicePage,
  acceptInvitationPage,
  accessibilityPage,
  // councils running themselves
  joinPage,
  joinVerifyPage,
  agreementPage,
  leavePoolPage,
  settingsPage,
  settingsSectionPage,
  peoplePage,
  personPage,
  officersPage,
  officerRatePage,
  auditPage,
  platformAuditPage,
  platform.platformPage,
  platform.platformCouncilsPage,
  platform.platformCouncilPage,
  platform.joinRequestsPage,
  platform.joinRequestPage,
  platform.publishAgreementPage,
  // market (issue 13)
  notificationsPage,
  bookWeeksPage,
  requestsPage,
  requestNewPage, // before /requests/:id, which would match "new" too
  requestPage,
  savedSearchesPage,
  // value (issue 15)
  dashboardPage,
  marketRatesPage,
  marketRateEditPage,
  settlementsPage,
  settlementPage,
  exchangePage,
  poolStatisticsPage,
];

export { notFoundPage };
