import { api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import {
  addFieldError,
  errorTitle,
  errorsFromProblem,
  hasErrors,
  noErrors,
  type FormErrors,
} from "../components/formErrors";
import { button, checkboxes, formText, formValues, textInput, textarea } from "../components/forms";
import { skillsField } from "../components/skills";
import { submitGuard } from "../components/submit";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { summaryList } from "../components/summaryList";
import { formatDate, formatRate } from "../format";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Agreement, ListPage, Officer, OfficerUpdate, Skill } from "../models";

const TITLE = "Your profile";

export const LIMITS = { display_name: 120, job_title: 120, summary: 2000 } as const;

// API field name → id of the element the error summary links to.
const FIELDS: Record<string, string> = {
  display_name: "display_name",
  job_title: "job_title",
  summary: "summary",
  skills: "skills",
  visible: "visible",
};

export interface ProfileState {
  officer: Officer;
  skills: Skill[];
  agreement: Agreement;
  values: OfficerUpdate;
  errors: FormErrors;
  banner: BannerOptions | null;
}

export function valuesFrom(officer: Officer): OfficerUpdate {
  return {
    display_name: officer.display_name ?? "",
    job_title: officer.job_title ?? "",
    summary: officer.summary ?? "",
    skills: officer.skills.map((skill) => skill.slug),
    visible: officer.visible,
  };
}

export function validate(values: OfficerUpdate): FormErrors {
  const errors = noErrors();
  if (!values.display_name) addFieldError(errors, "display_name", "Enter your display name");
  else if (values.display_name.length > LIMITS.display_name)
    addFieldError(errors, "display_name", `Display name must be ${LIMITS.display_name} characters or fewer`);
  if (values.job_title.length > LIMITS.job_title)
    addFieldError(errors, "job_title", `Job title must be ${LIMITS.job_title} characters or fewer`);
  if (values.summary.length > LIMITS.summary)
    addFieldError(errors, "summary", `Summary must be ${LIMITS.summary} characters or fewer`);
  return errors;
}

function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return html`${parts.map((part) => html`<p class="govuk-body">${part}</p>`)}`;
}

function consentSection(state: ProfileState): SafeHtml {
  const { officer, agreement } = state;
  if (officer.consent_current) {
    return html`<h2 class="govuk-heading-m" id="consent">Your consent to be listed</h2>
${summaryList([
  {
    key: "Consent",
    value: html`<span id="consent-status">You gave consent on ${formatDate(officer.consented_at)} (version ${officer.consent_version ?? agreement.version})</span>`,
  },
])}
<p class="govuk-body">You can withdraw your consent at any time: other councils then stop finding you and cannot book new hours. Hours already booked stand.</p>
<p class="govuk-body"><a class="govuk-link" href="/profile/withdraw-consent" id="withdraw-consent-link">Withdraw your consent</a></p>`;
  }
  const earlier = officer.consent_version
    ? html`<p class="govuk-body" id="consent-status">You gave consent to version ${officer.consent_version} on ${formatDate(officer.consented_at)}. The agreement has changed since then: read the new text and agree again before you list your hours.</p>`
    : html`<p class="govuk-body" id="consent-status">Before you list your hours, you need to agree to be placed at the disposal of other councils under section 113 of the Local Government Act 1972.</p>`;
  return html`<h2 class="govuk-heading-m" id="consent">Your consent to be listed</h2>
${earlier}
<div class="govuk-inset-text" id="consent-text">${paragraphs(agreement.officer_consent_text)}</div>
<p class="govuk-body">Agreement version ${agreement.version}.</p>
<form method="post" action="/profile/consent" novalidate id="consent-form">
  ${button("I agree", { id: "consent-button" })}
</form>`;
}

export function profileContent(state: ProfileState): SafeHtml {
  const { officer, values, errors } = state;
  return html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    ${state.banner && !hasErrors(errors) ? notificationBanner(state.banner) : ""}
    <h1 class="govuk-heading-l">${TITLE}</h1>
    ${summaryList([
      { key: "Council", value: officer.council?.name ?? "" },
      {
        key: "Rate",
        value: html`<span id="rate">${formatRate(officer.rate_pence_per_hour)}</span>
          <span class="govuk-hint tp-hint-inline">Your manager or council admin sets your rate.</span>`,
      },
    ])}
    ${consentSection(state)}
    <h2 class="govuk-heading-m">Your details</h2>
    <form method="post" action="/profile" novalidate id="profile-form">
      ${textInput({
        id: "display_name",
        label: "Display name",
        hint: "The name bookers at other councils see.",
        value: values.display_name,
        error: errors.fields.display_name,
        autocomplete: "name",
        spellcheck: false,
      })}
      ${textInput({
        id: "job_title",
        label: "Job title",
        value: values.job_title,
        error: errors.fields.job_title,
        autocomplete: "organization-title",
      })}
      ${textarea({
        id: "summary",
        label: "Summary",
        hint: "What you could help another council with, and your experience.",
        value: values.summary,
        error: errors.fields.summary,
        rows: 6,
        maxlength: LIMITS.summary,
      })}
      ${checkboxes({
        idPrefix: "visible-group",
        name: "visible",
        legend: "Visibility",
        legendSize: "m",
        legendIsHeading: true,
        error: errors.fields.visible,
        items: [
          {
            id: "visible",
            value: "yes",
            text: "Show my profile to other councils",
            hint: "Bookers at other councils can then find you in search when you have approved hours.",
            checked: values.visible,
          },
        ],
      })}
      ${skillsField({
        name: "skills",
        legend: "Skills",
        legendSize: "m",
        hint: "Choose the skills you could offer another council. Open a family to see its skills.",
        skills: state.skills,
        chosen: values.skills,
        error: errors.fields.skills,
      })}
      ${button("Save")}
    </form>
  </div>
</div>`;
}

function readForm(main: HTMLElement | null, fallback: OfficerUpdate): OfficerUpdate {
  const form = main?.querySelector<HTMLFormElement>("#profile-form");
  if (!form) return fallback;
  return {
    display_name: formText(form, "display_name"),
    job_title: formText(form, "job_title"),
    summary: formText(form, "summary"),
    skills: formValues(form, "skills"),
    visible: formValues(form, "visible").includes("yes"),
  };
}

function draw(view: View, state: ProfileState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(profileContent(state));
  if (!main) return;
  const on = submitGuard();
  on(main.querySelector<HTMLFormElement>("#profile-form"), () => save(view, state, readForm(main, state.values)));
  on(main.querySelector<HTMLFormElement>("#consent-form"), () => consent(view, state, readForm(main, state.values)));
}

async function save(view: View, state: ProfileState, values: OfficerUpdate): Promise<void> {
  const errors = validate(values);
  if (hasErrors(errors)) {
    draw(view, { ...state, values, errors, banner: null });
    return;
  }
  try {
    const officer = await api.put<Officer>("/officers/me", values, { signal: view.signal });
    draw(view, { ...state, officer, values: valuesFrom(officer), errors: noErrors(), banner: { heading: "Profile saved", success: true } });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, values, errors: errorsFromProblem(problem, FIELDS), banner: null });
  }
}

async function consent(view: View, state: ProfileState, values: OfficerUpdate): Promise<void> {
  try {
    const officer = await api.post<Officer>("/officers/me/consent", { version: state.agreement.version }, { signal: view.signal });
    draw(view, {
      ...state,
      officer,
      values,
      errors: noErrors(),
      banner: { heading: "Your consent is recorded", text: "You can now list your spare hours.", success: true },
    });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    const errors = errorsFromProblem(problem, {});
    // A consent error belongs to the consent form: link to it.
    errors.summary = errors.summary.map((item) => ({ ...item, href: item.href ?? "#consent-button" }));
    draw(view, { ...state, values, errors, banner: null });
  }
}

export const profilePage: Page = {
  path: "/profile",
  title: TITLE,
  access: "signed-in",
  roles: ["officer"],
  nav: { label: "Your profile", order: 10 },
  async render(view) {
    const [officer, skills, agreement] = await Promise.all([
      api.get<Officer>("/officers/me", { signal: view.signal }),
      api.get<ListPage<Skill>>("/skills?limit=200", { signal: view.signal }),
      api.get<Agreement>("/agreement", { signal: view.signal }),
    ]);
    draw(view, { officer, skills: skills.items, agreement, values: valuesFrom(officer), errors: noErrors(), banner: takeFlash() });
  },
};
