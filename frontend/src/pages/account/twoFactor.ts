// Two-factor sign-in: set it up (a QR code drawn by the server, the secret to type instead, a
// first code to confirm; ten recovery codes shown once) and reset it with a code or a
// recovery code (for example on a new phone).
import { ProblemError, api } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, formText, textInput } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { submitGuard } from "../../components/submit";
import type { components } from "../../types";
import type { Page, View } from "../../page";
import { loadSession, setFlash, takeFlash } from "../../session";

type Started = components["schemas"]["TotpStarted"];

/** "JBSW Y3DP …": the secret in groups of four, easier to type. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function drawSetUp(view: View, started: Started, errors: FormErrors): void {
  view.setTitle(errorTitle("Set up two-factor sign-in", errors));
  const required = view.me?.two_factor_setup_required;
  const flash = takeFlash(); // e.g. "Your account is ready", after accepting an invitation
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  ${flash && !hasErrors(errors) ? notificationBanner(flash) : ""}
  ${required && !hasErrors(errors) ? notificationBanner({ heading: "Your role needs two-factor sign-in", text: "Set it up now to go on: it takes a minute." }) : ""}
  <h1 class="govuk-heading-l">Set up two-factor sign-in</h1>
  <p class="govuk-body">You will need an authenticator app on your phone, such as Microsoft Authenticator, Google Authenticator or any other that makes 6-digit codes.</p>
  <h2 class="govuk-heading-m">1. Add the Talent Pool to the app</h2>
  <p class="govuk-body">Scan this QR code with the app:</p>
  <p class="govuk-body"><img src="${started.qr_svg}" alt="QR code to add the LocalGov Talent Pool to an authenticator app" width="200" height="200" id="qr"></p>
  <p class="govuk-body">Or type this key into the app instead:</p>
  <p class="govuk-body"><code class="tp-break" id="secret">${groupSecret(started.secret)}</code></p>
  <h2 class="govuk-heading-m">2. Enter the code the app shows</h2>
  <form novalidate id="confirm-form">
    ${textInput({ id: "code", label: "Code from your authenticator app", inputmode: "numeric", autocomplete: "one-time-code", inputClass: "govuk-input--width-10", maxlength: 8, error: errors.fields.code })}
    ${button("Turn on two-factor sign-in")}
  </form>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#confirm-form"), async (form) => {
    const code = formText(form, "code");
    const found = noErrors();
    if (!/^\d{6}$/.test(code.replace(/\s/g, ""))) addFieldError(found, "code", "Enter the 6-digit code from your authenticator app");
    if (hasErrors(found)) return drawSetUp(view, started, found);
    try {
      const done = await api.post<{ recovery_codes: string[] }>("/auth/totp/confirm", { code }, { signal: view.signal, expectUnauthorized: true });
      await loadSession();
      drawCodes(view, done.recovery_codes);
    } catch (error) {
      if (!(error instanceof ProblemError)) return;
      const errors = noErrors();
      if (error.status === 401) addFieldError(errors, "code", "The code is not right. Check the time on your phone is right and try the new code");
      else if (error.status === 429) addFieldError(errors, "code", "Too many wrong codes. Wait 15 minutes and try again");
      drawSetUp(view, started, hasErrors(errors) ? errors : errorsFromProblem(error, { code: "code" }));
    }
  });
}

function drawCodes(view: View, codes: string[]): void {
  view.setTitle("Save your recovery codes");
  view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Two-factor sign-in is on</h1></div>
  <h2 class="govuk-heading-m">Save your recovery codes</h2>
  <p class="govuk-body">If you lose your phone, each of these codes signs you in once instead of the app's code. Keep them somewhere safe: they will not be shown again.</p>
  <ul class="govuk-list" id="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
  <p class="govuk-body"><a class="govuk-button" href="/" role="button" draggable="false" data-module="govuk-button">I have saved my codes, continue</a></p>
</div></div>`);
}

export const twoFactorPage: Page = {
  path: "/account/two-factor",
  title: "Set up two-factor sign-in",
  access: "signed-in",
  async render(view) {
    try {
      drawSetUp(view, await api.post<Started>("/auth/totp", undefined, { signal: view.signal }), noErrors());
    } catch (error) {
      if (!(error instanceof ProblemError) || error.status !== 409) throw error;
      view.show(html`<h1 class="govuk-heading-l">Two-factor sign-in is on already</h1>
<p class="govuk-body">To set it up on a new phone, <a class="govuk-link" href="/account/two-factor/reset">reset it first</a>.</p>`);
    }
  },
};

function drawReset(view: View, errors: FormErrors): void {
  view.setTitle(errorTitle("Reset two-factor sign-in", errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  <h1 class="govuk-heading-l">Reset two-factor sign-in</h1>
  <p class="govuk-body">This turns two-factor sign-in off so that you can set it up again, for example on a new phone. If your role needs it, you set it up again straight after.</p>
  <form novalidate id="reset-form">
    ${textInput({ id: "code", label: "Code from your authenticator app, or one of your recovery codes", autocomplete: "off", spellcheck: false, inputClass: "govuk-!-width-one-half", error: errors.fields.code })}
    ${button("Reset two-factor sign-in", { warning: true })}
  </form>
  <p class="govuk-body"><a class="govuk-link" href="/account">Back to your account</a></p>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#reset-form"), async (form) => {
    const code = formText(form, "code");
    const found = noErrors();
    if (!code) addFieldError(found, "code", "Enter a code from your app or a recovery code");
    if (hasErrors(found)) return drawReset(view, found);
    const body = /^\d{6}$/.test(code.replace(/\s/g, "")) ? { code } : { recovery_code: code };
    try {
      await api.post("/auth/totp/reset", body, { signal: view.signal, expectUnauthorized: true });
    } catch (error) {
      if (!(error instanceof ProblemError)) return;
      const errors = noErrors();
      addFieldError(errors, "code", error.status === 429 ? "Too many wrong codes. Wait 15 minutes and try again" : "The code is not right, or it has been used already");
      return drawReset(view, errors);
    }
    const me = await loadSession();
    setFlash({ heading: "Two-factor sign-in has been reset", success: true });
    view.navigate(me?.two_factor_setup_required ? "/account/two-factor" : "/account");
  });
}

export const twoFactorResetPage: Page = {
  path: "/account/two-factor/reset",
  title: "Reset two-factor sign-in",
  access: "signed-in",
  render(view) {
    drawReset(view, noErrors());
  },
};
