// Where single sign-on ends when it did not sign the person in: why, in words, and what to do.
import { html } from "../components/escape";
import type { Page } from "../page";

const REASONS: Record<string, string> = {
  provider_unavailable:
    "Your council's sign-in service did not answer. Try again in a few minutes. If it goes on, tell your council's IT team.",
  invalid_token:
    "Your council's sign-in service sent an answer that failed our security checks, so we did not sign you in. Nothing was changed. If it goes on, tell your council's IT team.",
  token_refused: "Your council's sign-in service refused to finish signing you in. Try again.",
  provider_refused: "You did not finish signing in with your council's account.",
  email_unverified: "Your council's sign-in service has not confirmed your email address, so we cannot use it.",
  email_outside_domains: "The account you signed in with is not at one of your council's email addresses for the Talent Pool.",
  no_email: "Your council's sign-in service did not tell us your email address.",
  not_invited: "You do not have an account yet. Ask your council admin to invite you.",
  not_member: "Your account cannot sign in through this council's sign-in service.",
  state_used: "This sign-in link has been used already or has expired. Start again.",
  state_mismatch: "This sign-in was started in another browser or tab. Start again.",
  not_configured: "Your council does not sign people in this way any more. Sign in with your password.",
  incomplete: "The sign-in did not finish. Start again.",
};

export function ssoFailureText(reason: string | null): string {
  return (reason && REASONS[reason]) || "We could not sign you in with your council's account. Start again.";
}

export const signInSsoFailedPage: Page = {
  path: "/sign-in/sso-failed",
  title: "You have not been signed in",
  access: "public",
  render(view) {
    view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <h1 class="govuk-heading-l">You have not been signed in</h1>
  <p class="govuk-body" id="sso-failure">${ssoFailureText(view.query.get("reason"))}</p>
  <p class="govuk-body"><a class="govuk-link" href="/sign-in">Go back to sign in</a></p>
</div></div>`);
  },
};
