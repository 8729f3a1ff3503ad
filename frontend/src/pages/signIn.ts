import { ProblemError } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { EMAIL_PATTERN, button, formRaw, formText, passwordInput, textInput } from "../components/forms";
import { notificationBanner } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import type { Page, View } from "../page";
import { safeNextPath } from "../router";
import { signIn, takeFlash } from "../session";

export const WRONG_CREDENTIALS = "Enter a correct email address and password";
export const RATE_LIMITED = "Too many failed attempts. Wait 15 minutes and try again";

const TITLE = "Sign in";

function draw(view: View, email: string, errors: FormErrors): void {
  const flash = takeFlash();
  view.setTitle(errorTitle(TITLE, errors));
  const main = view.show(html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    ${flash && !hasErrors(errors) ? notificationBanner(flash) : ""}
    <h1 class="govuk-heading-l">Sign in</h1>
    <p class="govuk-body">Sign in with the email address and password for your council account.</p>
    <form method="post" action="/sign-in" novalidate id="sign-in-form">
      ${textInput({
        id: "email",
        label: "Email address",
        type: "email",
        autocomplete: "email",
        spellcheck: false,
        value: email,
        error: errors.fields.email,
      })}
      ${passwordInput({ id: "password", label: "Password", autocomplete: "current-password", error: errors.fields.password })}
      ${button("Sign in")}
    </form>
    <p class="govuk-body">Is your council not in the Talent Pool yet? <a class="govuk-link" href="/join">Ask for it to join</a>.</p>
    <p class="govuk-body">If you do not have an account, ask your council admin to invite you.</p>
  </div>
</div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#sign-in-form"), (form) => submit(view, form));
}

async function submit(view: View, form: HTMLFormElement): Promise<void> {
  const email = formText(form, "email");
  const password = formRaw(form, "password");
  const errors = noErrors();
  if (!email) addFieldError(errors, "email", "Enter your email address");
  else if (!EMAIL_PATTERN.test(email))
    addFieldError(errors, "email", "Enter an email address in the correct format, like name@example.gov.uk");
  if (!password) addFieldError(errors, "password", "Enter your password");
  if (hasErrors(errors)) {
    draw(view, email, errors);
    return;
  }
  try {
    await signIn(email, password);
  } catch (error) {
    if (!view.isCurrent() || (error instanceof DOMException && error.name === "AbortError")) return;
    draw(view, email, signInErrors(error));
    return;
  }
  view.navigate(safeNextPath(view.query.get("next")), { replace: true });
}

export function signInErrors(error: unknown): FormErrors {
  const errors = noErrors();
  if (error instanceof ProblemError) {
    if (error.status === 401) {
      addFieldError(errors, "email", WRONG_CREDENTIALS);
      errors.fields.password = WRONG_CREDENTIALS;
      return errors;
    }
    if (error.status === 429) {
      addFieldError(errors, "email", RATE_LIMITED);
      return errors;
    }
    return errorsFromProblem(error, { email: "email", password: "password" });
  }
  errors.summary.push({ text: "There was a problem with the service. Try again later." });
  return errors;
}

export const signInPage: Page = {
  path: "/sign-in",
  title: TITLE,
  access: "signed-out",
  render(view) {
    draw(view, "", noErrors());
  },
};
