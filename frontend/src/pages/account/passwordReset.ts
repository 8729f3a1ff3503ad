// A forgotten password: ask for a link by email (the same answer whatever the address), then
// choose a new password from the link. Every session of the account ends.
import { ProblemError, api } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { EMAIL_PATTERN, button, formRaw, formText, passwordInput, textInput } from "../../components/forms";
import { submitGuard } from "../../components/submit";
import type { Page, View } from "../../page";
import { setFlash } from "../../session";

export const PASSWORD_HINT =
  "At least 12 characters. Any characters you like: three random words make a good one. Common passwords are refused.";

function drawRequest(view: View, email: string, errors: FormErrors): void {
  view.setTitle(errorTitle("Reset your password", errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  <h1 class="govuk-heading-l">Reset your password</h1>
  <p class="govuk-body">We will email you a link to choose a new password. The link works once, for one hour.</p>
  <form novalidate id="reset-form">
    ${textInput({ id: "email", label: "Email address", type: "email", autocomplete: "email", spellcheck: false, value: email, error: errors.fields.email })}
    ${button("Send the link")}
  </form>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#reset-form"), async (form) => {
    const value = formText(form, "email");
    const found = noErrors();
    if (!EMAIL_PATTERN.test(value)) addFieldError(found, "email", "Enter an email address in the correct format, like name@example.gov.uk");
    if (hasErrors(found)) return drawRequest(view, value, found);
    try {
      await api.post("/auth/password-reset", { email: value }, { signal: view.signal });
    } catch (error) {
      if (!(error instanceof ProblemError)) return;
      return drawRequest(view, value, error.status === 429 ? tooMany() : errorsFromProblem(error, { email: "email" }));
    }
    view.setTitle("Check your email");
    view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <h1 class="govuk-heading-l">Check your email</h1>
  <p class="govuk-body">If <strong>${value}</strong> has an account, we have sent it a link to reset the password. It works for one hour.</p>
  <p class="govuk-body"><a class="govuk-link" href="/sign-in">Back to sign in</a></p>
</div></div>`);
  });
}

function tooMany(): FormErrors {
  const errors = noErrors();
  addFieldError(errors, "email", "Too many requests. Wait 15 minutes and try again");
  return errors;
}

function drawChoose(view: View, errors: FormErrors): void {
  view.setTitle(errorTitle("Choose a new password", errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  <h1 class="govuk-heading-l">Choose a new password</h1>
  <form novalidate id="new-password-form">
    ${passwordInput({ id: "password", label: "New password", hint: PASSWORD_HINT, autocomplete: "new-password", error: errors.fields.password })}
    ${button("Save the new password")}
  </form>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#new-password-form"), async (form) => {
    const password = formRaw(form, "password");
    const found = noErrors();
    if (password.length < 12) addFieldError(found, "password", "Your password must be at least 12 characters long");
    if (hasErrors(found)) return drawChoose(view, found);
    try {
      await api.post("/auth/password-reset/complete", { token: view.params.token, password }, { signal: view.signal });
    } catch (error) {
      if (error instanceof ProblemError) drawChoose(view, errorsFromProblem(error, { password: "password" }));
      return;
    }
    setFlash({ heading: "Your password has been changed", text: "Sign in with your new password. Every other session has ended.", success: true });
    view.navigate("/sign-in", { replace: true });
  });
}

export const passwordResetPage: Page = {
  path: "/password-reset",
  title: "Reset your password",
  access: "public",
  render(view) {
    drawRequest(view, "", noErrors());
  },
};

export const passwordResetChoosePage: Page = {
  path: "/password-reset/:token",
  title: "Choose a new password",
  access: "public",
  render(view) {
    drawChoose(view, noErrors());
  },
};
