// "Join the pool": someone at a council asks for it to join. Public. The council is picked from
// the register with an accessible autocomplete (a <select> underneath, so it works without it).
import accessibleAutocomplete from "accessible-autocomplete";
import "accessible-autocomplete/dist/accessible-autocomplete.min.css";
import { api } from "../../api";
import type { RegisterCouncil } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { EMAIL_PATTERN, button, formText, textInput } from "../../components/forms";
import type { Page, View } from "../../page";
import { failure, onSubmit, panel } from "./kit";

const TITLE = "Ask for your council to join the Talent Pool";
const FIELDS = { council_code: "council", name: "name", job_title: "job-title", email: "email" };

export interface JoinValues {
  council_code: string;
  name: string;
  job_title: string;
  email: string;
}

export function validateJoin(values: JoinValues): FormErrors {
  const errors = noErrors();
  if (!values.council_code) addFieldError(errors, FIELDS.council_code, "Select your council");
  if (!values.name) addFieldError(errors, FIELDS.name, "Enter your full name");
  if (!values.job_title) addFieldError(errors, FIELDS.job_title, "Enter your job title");
  if (!values.email) addFieldError(errors, FIELDS.email, "Enter your work email address");
  else if (!EMAIL_PATTERN.test(values.email))
    addFieldError(errors, FIELDS.email, "Enter an email address in the correct format, like name@council.gov.uk");
  return errors;
}

function draw(view: View, councils: RegisterCouncil[], values: JoinValues, errors: FormErrors): void {
  view.setTitle(errorTitle(TITLE, errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${errorSummary(errors.summary)}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Councils in the pool lend each other their officers' spare hours under a standard agreement (section 113 of the Local Government Act 1972).</p>
<p class="govuk-body">Tell us who you are. We will email you a link to confirm your address; the pool's team sees your request only after that, and will invite you to set your council up.</p>
<form method="post" action="/join" novalidate id="join-form">
  <div class="govuk-form-group${errors.fields.council ? " govuk-form-group--error" : ""}">
    <label class="govuk-label govuk-label--s" for="council">Your council</label>
    <div id="council-hint" class="govuk-hint">Start typing its name, then choose it from the list.</div>
    ${errors.fields.council ? html`<p id="council-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${errors.fields.council}</p>` : ""}
    <select class="govuk-select" id="council" name="council_code" aria-describedby="council-hint${errors.fields.council ? " council-error" : ""}">
      <option value=""></option>
      ${councils.map((c) => html`<option value="${c.code}"${c.code === values.council_code ? html` selected` : ""}>${c.name}</option>`)}
    </select>
  </div>
  ${textInput({ id: "name", label: "Full name", autocomplete: "name", spellcheck: false, value: values.name, error: errors.fields.name })}
  ${textInput({ id: "job-title", name: "job_title", label: "Job title", autocomplete: "organization-title", value: values.job_title, error: errors.fields["job-title"] })}
  ${textInput({ id: "email", label: "Work email address", hint: "Your address at your council. We send the link to confirm it here.", type: "email", autocomplete: "email", spellcheck: false, value: values.email, error: errors.fields.email })}
  ${button("Send request")}
</form>
<p class="govuk-body">Already in the pool? <a class="govuk-link" href="/sign-in">Sign in</a>.</p>
</div></div>`);
  const select = main?.querySelector<HTMLSelectElement>("#council");
  if (select) {
    try {
      accessibleAutocomplete.enhanceSelectElement({ selectElement: select, defaultValue: "", minLength: 2, tNoResults: () => "No council found" });
    } catch (error) {
      console.warn(error); // the plain <select> still works
    }
  }
  onSubmit(main, "#join-form", async (form) => {
    const selectElement = form.querySelector<HTMLSelectElement>("select[name=council_code]");
    const next: JoinValues = {
      council_code: selectElement?.value ?? "",
      name: formText(form, "name"),
      job_title: formText(form, "job_title"),
      email: formText(form, "email"),
    };
    await send(view, councils, next);
  });
}

async function send(view: View, councils: RegisterCouncil[], values: JoinValues): Promise<void> {
  const errors = validateJoin(values);
  if (hasErrors(errors)) {
    draw(view, councils, values, errors);
    return;
  }
  try {
    await api.post("/join-requests", values, { signal: view.signal, expectUnauthorized: true });
  } catch (error) {
    const failed = failure(error, FIELDS);
    if (failed && view.isCurrent()) draw(view, councils, values, failed.errors);
    return;
  }
  view.setTitle("Check your email");
  view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${panel("Check your email")}
<p class="govuk-body">If we can take your request, we have sent a link to <strong>${values.email}</strong>.</p>
<p class="govuk-body">Follow the link within 24 hours to confirm your email address. Your request reaches the pool's team only then.</p>
<p class="govuk-body">If nothing arrives in a few minutes, check your spam folder.</p>
</div></div>`);
}

export const joinPage: Page = {
  path: "/join",
  title: TITLE,
  access: "public",
  async render(view) {
    const register = await api.get<{ councils: RegisterCouncil[] }>("/register/councils", { signal: view.signal, expectUnauthorized: true });
    draw(view, register.councils, { council_code: "", name: "", job_title: "", email: "" }, noErrors());
  },
};

export const joinVerifyPage: Page = {
  path: "/join/verify/:token",
  title: "Confirm your request",
  access: "public",
  async render(view) {
    try {
      const result = await api.post<{ council_name: string }>("/join-requests/verify", { token: view.params.token ?? "" }, { signal: view.signal, expectUnauthorized: true });
      view.setTitle("Request confirmed");
      view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${panel("Request confirmed", html`Your request for <strong>${result.council_name}</strong> to join is with the pool's team`)}
<h2 class="govuk-heading-m">What happens next</h2>
<p class="govuk-body">The pool's team checks your council's details. When they approve, we email you an invitation to set up your account as your council's first admin. If they cannot approve it, we email you the reason.</p>
</div></div>`);
    } catch (error) {
      const failed = failure(error, {});
      if (!failed || !view.isCurrent()) return;
      view.setTitle("This link cannot be used");
      view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">This link cannot be used</h1>
<p class="govuk-body">${failed.problem.detail || "The link is not valid."}</p>
<p class="govuk-body"><a class="govuk-link" href="/join">Ask for your council to join</a></p>
</div></div>`);
    }
  },
};
