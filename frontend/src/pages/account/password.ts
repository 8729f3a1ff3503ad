// Change your password: the current one is needed; your other sessions end.
import { ProblemError, api } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, formRaw, passwordInput } from "../../components/forms";
import { submitGuard } from "../../components/submit";
import type { Page, View } from "../../page";
import { setFlash } from "../../session";
import { PASSWORD_HINT } from "./passwordReset";

function draw(view: View, errors: FormErrors): void {
  view.setTitle(errorTitle("Change your password", errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  <h1 class="govuk-heading-l">Change your password</h1>
  <form novalidate id="password-form">
    ${passwordInput({ id: "current_password", label: "Current password", autocomplete: "current-password", error: errors.fields.current_password })}
    ${passwordInput({ id: "new_password", label: "New password", hint: PASSWORD_HINT, autocomplete: "new-password", error: errors.fields.new_password })}
    ${button("Change password")}
  </form>
  <p class="govuk-body">Your other sessions end when you change it; this one goes on.</p>
  <p class="govuk-body"><a class="govuk-link" href="/account">Back to your account</a></p>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#password-form"), async (form) => {
    const current = formRaw(form, "current_password");
    const next = formRaw(form, "new_password");
    const found = noErrors();
    if (!current) addFieldError(found, "current_password", "Enter your current password");
    if (next.length < 12) addFieldError(found, "new_password", "Your new password must be at least 12 characters long");
    if (hasErrors(found)) return draw(view, found);
    try {
      await api.post("/auth/password", { current_password: current, new_password: next }, { signal: view.signal, expectUnauthorized: true });
    } catch (error) {
      if (!(error instanceof ProblemError)) return;
      const errors = noErrors();
      if (error.status === 401) addFieldError(errors, "current_password", "Your current password is not right");
      else if (error.status === 429) addFieldError(errors, "current_password", "Too many failed attempts. Wait 15 minutes and try again");
      return draw(view, hasErrors(errors) ? errors : errorsFromProblem(error, { current_password: "current_password", new_password: "new_password" }));
    }
    setFlash({ heading: "Your password has been changed", success: true });
    view.navigate("/account");
  });
}

export const passwordChangePage: Page = {
  path: "/account/password",
  title: "Change your password",
  access: "signed-in",
  render(view) {
    draw(view, noErrors());
  },
};
