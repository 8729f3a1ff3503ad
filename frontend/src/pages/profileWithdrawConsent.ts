// Withdrawing an officer's consent to be placed with other councils
// (DELETE /officers/me/consent): what it does, checked and confirmed, then back to the profile.
import { api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { submitGuard } from "../components/submit";
import type { Officer } from "../models";
import type { Page, View } from "../page";
import { setFlash } from "../session";

const TITLE = "Withdraw your consent to be listed";

export function withdrawConsentContent(officer: Officer, errors: FormErrors): SafeHtml {
  return html`<a href="/profile" class="govuk-back-link">Back to your profile</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Your profile</span>
    <h1 class="govuk-heading-l">${TITLE}</h1>
    ${
      officer.consent_current
        ? html`<p class="govuk-body">If you withdraw your consent:</p>
    <ul class="govuk-list govuk-list--bullet" id="withdraw-effects">
      <li>other councils no longer find your profile or the hours you listed</li>
      <li>you cannot list new hours until you give your consent again</li>
      <li>hours already booked stand: those bookings go ahead and are invoiced as usual</li>
    </ul>
    <p class="govuk-body">You can give your consent again at any time on your profile page.</p>
    <form method="post" action="/profile/withdraw-consent" novalidate id="withdraw-consent-form">
      <div class="govuk-button-group">
        ${button("Withdraw consent", { warning: true })}
        <a class="govuk-link" href="/profile">Keep my consent</a>
      </div>
    </form>`
        : html`<p class="govuk-body" id="no-consent">You have not given your consent, so there is nothing to withdraw.</p>
    <p class="govuk-body"><a class="govuk-link" href="/profile">Back to your profile</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, officer: Officer, errors: FormErrors): void {
  view.setTitle(errorTitle(TITLE, errors));
  const main = view.show(withdrawConsentContent(officer, errors));
  submitGuard()(main?.querySelector<HTMLFormElement>("#withdraw-consent-form"), () => withdraw(view, officer));
}

async function withdraw(view: View, officer: Officer): Promise<void> {
  try {
    await api.delete<Officer>("/officers/me/consent", { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, officer, errorsFromProblem(problem, {}));
    return;
  }
  setFlash({
    heading: "You have withdrawn your consent",
    text: "Other councils can no longer find you or book new hours. Hours already booked stand.",
    success: true,
  });
  view.navigate("/profile");
}

export const profileWithdrawConsentPage: Page = {
  path: "/profile/withdraw-consent",
  title: TITLE,
  access: "signed-in",
  roles: ["officer"],
  async render(view) {
    draw(view, await api.get<Officer>("/officers/me", { signal: view.signal }), noErrors());
  },
};
