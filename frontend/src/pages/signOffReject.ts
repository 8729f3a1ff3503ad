// Rejecting a week's hours, with the reason the officer is told (POST /availability/{id}/reject).
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, textarea } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import type { Approval } from "../models";
import { weekLabel } from "../weeks";

const TITLE = "Reject hours";
export const REASON_MAX = 500;

interface RejectState {
  approval: Approval;
  reason: string;
  errors: FormErrors;
}

export function validateReason(reason: string): FormErrors {
  const errors = noErrors();
  if (!reason) addFieldError(errors, "reason", "Enter the reason you are not approving these hours");
  else if (reason.length > REASON_MAX) addFieldError(errors, "reason", `The reason must be ${REASON_MAX} characters or fewer`);
  return errors;
}

export function rejectContent(state: RejectState): SafeHtml {
  const { approval, errors } = state;
  const waiting = approval.status === "pending";
  return html`<a href="/sign-off" class="govuk-back-link">Back to sign-off</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Sign-off</span>
    <h1 class="govuk-heading-l">Reject hours for ${approval.officer.display_name}</h1>
    ${summaryList([
      { key: "Officer", value: approval.officer.job_title ? `${approval.officer.display_name}, ${approval.officer.job_title}` : approval.officer.display_name },
      { key: "Week", value: weekLabel(approval.week) },
      { key: "Hours asked", value: hoursText(approval.pending_hours) },
      { key: "Already approved", value: hoursText(approval.approved_hours) },
    ])}
    ${
      waiting
        ? html`${approval.approved_hours > 0 ? html`<p class="govuk-body">The ${hoursText(approval.approved_hours)} approved before stay approved.</p>` : ""}
    <form method="post" action="/sign-off/${approval.id}/reject" novalidate id="reject-form">
      ${textarea({
        id: "reason",
        label: "Why are you not approving these hours?",
        labelClass: "govuk-label--s",
        hint: `${approval.officer.display_name} is sent this reason.`,
        value: state.reason,
        error: errors.fields.reason,
        rows: 4,
        maxlength: REASON_MAX,
      })}
      <div class="govuk-button-group">
        ${button("Reject hours", { warning: true })}
        <a class="govuk-link" href="/sign-off">Cancel</a>
      </div>
    </form>`
        : html`<p class="govuk-body">These hours are no longer waiting for sign-off.</p>
    <p class="govuk-body"><a class="govuk-link" href="/sign-off">Back to sign-off</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, state: RejectState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(rejectContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#reject-form"), (form) => reject(view, state, formText(form, "reason")));
}

async function reject(view: View, state: RejectState, reason: string): Promise<void> {
  const errors = validateReason(reason);
  if (errors.summary.length > 0) {
    draw(view, { ...state, reason, errors });
    return;
  }
  let rejected: Approval;
  try {
    rejected = await api.post<Approval>(`/availability/${seg(state.approval.id)}/reject`, { reason }, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, reason, errors: errorsFromProblem(problem, { reason: "reason" }) });
    return;
  }
  setFlash({
    heading: `Hours rejected for ${rejected.officer.display_name}`,
    text: `${weekLabel(rejected.week)}. ${rejected.officer.display_name} is sent your reason.`,
    success: true,
  });
  view.navigate("/sign-off");
}

export const signOffRejectPage: Page = {
  path: "/sign-off/:id/reject",
  title: TITLE,
  access: "signed-in",
  roles: ["manager"],
  async render(view) {
    let approval: Approval;
    try {
      approval = await api.get<Approval>(`/availability/${seg(view.params.id ?? "")}`, { signal: view.signal });
    } catch (error) {
      // Not an id at all (422): as good as not found.
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    draw(view, { approval, reason: "", errors: noErrors() });
  },
};
