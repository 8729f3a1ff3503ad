// Sign in, email first: an email whose council signs its people in with its own provider
// (single sign-on) goes there; everyone else gives their password, then the code from their
// authenticator app when two-factor sign-in is on (or a recovery code).
import { ProblemError, api } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { EMAIL_PATTERN, button, formRaw, formText, passwordInput, textInput } from "../components/forms";
import { notificationBanner } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import type { Page, View } from "../page";
import { safeNextPath } from "../router";
import { SECOND_FACTOR_REQUIRED, signIn, takeFlash } from "../session";

export const WRONG_CREDENTIALS = "Enter a correct email address and password";
export const WRONG_CODE = "Enter the code your authenticator app shows now";
export const RATE_LIMITED = "Too many failed attempts. Wait 15 minutes and try again";

const TITLE = "Sign in";

type Step = "email" | "password" | "code";

interface State {
  step: Step;
  email: string;
  password: string;
  /** On the code step: a recovery code instead of the app's code. */
  recovery: boolean;
}

function emailStep(state: State, errors: FormErrors) {
  return html`<p class="govuk-body">Enter the email address of your council account.</p>
    ${textInput({ id: "email", label: "Email address", type: "email", autocomplete: "email", spellcheck: false, value: state.email, error: errors.fields.email })}
    ${button("Continue")}`;
}

function passwordStep(state: State, errors: FormErrors) {
  return html`<p class="govuk-body">Signing in as <strong>${state.email}</strong>.</p>
    <p class="govuk-body"><button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" id="change-email">Change<span class="govuk-visually-hidden"> email address</span></button></p>
    <input type="hidden" name="email" value="${state.email}">
    ${passwordInput({ id: "password", label: "Password", autocomplete: "current-password", error: errors.fields.password })}
    ${button("Sign in")}
    <p class="govuk-body"><a class="govuk-link" href="/password-reset">Forgotten your password?</a></p>`;
}

function codeStep(state: State, errors: FormErrors) {
  const field = state.recovery
    ? textInput({ id: "recovery_code", label: "Recovery code", hint: "One of the codes you saved when you set up two-factor sign-in, like abcde-fghjk. Each works once.", autocomplete: "off", spellcheck: false, error: errors.fields.recovery_code })
    : textInput({ id: "totp", label: "Code from your authenticator app", hint: "The 6-digit code the app shows now for the LocalGov Talent Pool.", inputmode: "numeric", autocomplete: "one-time-code", inputClass: "govuk-input--width-10", maxlength: 8, error: errors.fields.totp });
  return html`<p class="govuk-body">Your account uses two-factor sign-in.</p>
    ${field}
    ${button("Sign in")}
    <p class="govuk-body"><button type="button" class="govuk-button govuk-button--secondary" id="switch-code">${state.recovery ? "Use the code from your app instead" : "Use a recovery code instead"}</button></p>`;
}

function draw(view: View, state: State, errors: FormErrors): void {
  const flash = takeFlash();
  view.setTitle(errorTitle(TITLE, errors));
  const steps = { email: emailStep, password: passwordStep, code: codeStep };
  const main = view.show(html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    ${flash && !hasErrors(errors) ? notificationBanner(flash) : ""}
    <h1 class="govuk-heading-l">Sign in</h1>
    <form method="post" action="/sign-in" novalidate id="sign-in-form">
      ${steps[state.step](state, errors)}
    </form>
    <p class="govuk-body">Is your council not in the Talent Pool yet? <a class="govuk-link" href="/join">Ask for it to join</a>.</p>
    <p class="govuk-body">If you do not have an account, ask your council admin to invite you.</p>
  </div>
</div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#sign-in-form"), (form) => submit(view, state, form));
  main?.querySelector("#change-email")?.addEventListener("click", () => draw(view, { ...state, step: "email", password: "" }, noErrors()));
  main?.querySelector("#switch-code")?.addEventListener("click", () => draw(view, { ...state, recovery: !state.recovery }, noErrors()));
}

async function submit(view: View, state: State, form: HTMLFormElement): Promise<void> {
  if (state.step === "email") return submitEmail(view, state, form);
  const next = { ...state };
  const errors = noErrors();
  if (state.step === "password") {
    next.password = formRaw(form, "password");
    if (!next.password) addFieldError(errors, "password", "Enter your password");
  }
  const code = state.step === "code" ? formText(form, state.recovery ? "recovery_code" : "totp") : "";
  if (state.step === "code" && !code)
    addFieldError(errors, state.recovery ? "recovery_code" : "totp", state.recovery ? "Enter a recovery code" : "Enter the code from your authenticator app");
  if (hasErrors(errors)) {
    draw(view, next, errors);
    return;
  }
  try {
    const second = state.step !== "code" ? {} : state.recovery ? { recovery_code: code } : { totp: code };
    const me = await signIn(next.email, next.password, second);
    const target = me.two_factor_setup_required ? "/account/two-factor" : safeNextPath(view.query.get("next"));
    view.navigate(target, { replace: true });
  } catch (error) {
    if (!view.isCurrent() || (error instanceof DOMException && error.name === "AbortError")) return;
    if (error instanceof ProblemError && error.type === SECOND_FACTOR_REQUIRED) {
      draw(view, { ...next, step: "code" }, noErrors());
      return;
    }
    draw(view, next, signInErrors(error, state.step === "code" ? (state.recovery ? "recovery_code" : "totp") : null));
  }
}

async function submitEmail(view: View, state: State, form: HTMLFormElement): Promise<void> {
  const email = formText(form, "email");
  const errors = noErrors();
  if (!email) addFieldError(errors, "email", "Enter your email address");
  else if (!EMAIL_PATTERN.test(email))
    addFieldError(errors, "email", "Enter an email address in the correct format, like name@example.gov.uk");
  if (hasErrors(errors)) {
    draw(view, { ...state, email }, errors);
    return;
  }
  let method = "password";
  try {
    method = (await api.post<{ method: string }>("/auth/discover", { email }, { signal: view.signal })).method;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") return;
    // The check failed: a password still works for those who have one.
  }
  if (!view.isCurrent()) return;
  if (method === "sso") {
    window.location.assign(`/api/v1/auth/sso/start?${new URLSearchParams({ email }).toString()}`);
    return;
  }
  draw(view, { ...state, email, step: "password" }, noErrors());
}

/** `codeField`: on the code step, the field a wrong code belongs to. */
export function signInErrors(error: unknown, codeField: string | null = null): FormErrors {
  const errors = noErrors();
  if (error instanceof ProblemError) {
    if (error.status === 401 && codeField) {
      addFieldError(errors, codeField, WRONG_CODE);
      return errors;
    }
    if (error.status === 401) {
      addFieldError(errors, "password", WRONG_CREDENTIALS);
      return errors;
    }
    if (error.status === 429) {
      addFieldError(errors, codeField ?? "password", RATE_LIMITED);
      return errors;
    }
    return errorsFromProblem(error, { email: "email", password: "password", totp: "totp", recovery_code: "recovery_code" });
  }
  errors.summary.push({ text: "There was a problem with the service. Try again later." });
  return errors;
}

export const signInPage: Page = {
  path: "/sign-in",
  title: TITLE,
  access: "signed-out",
  render(view) {
    draw(view, { step: "email", email: view.query.get("email") ?? "", password: "", recovery: false }, noErrors());
  },
};
