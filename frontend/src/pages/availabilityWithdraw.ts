// Check and confirm before withdrawing a week's hours (DELETE /officers/me/availability/{week}):
// which hours will go, which booked hours stay, then back to "Your availability" with a banner.
import { api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import type { Availability, Week } from "../models";
import { weekDays, weekLabel } from "../weeks";
import { canWithdraw, loadWeek } from "./availabilityWeek";

const TITLE = "Check before you withdraw these hours";

interface WithdrawState {
  week: Week;
  errors: FormErrors;
}

/** The hours that withdrawing takes away: all that is offered beyond what is booked. */
export function hoursToWithdraw(week: Week): number {
  return Math.max(0, week.hours - week.booked_hours);
}

export function withdrawContent(state: WithdrawState): SafeHtml {
  const { week, errors } = state;
  const back = `/availability/${week.week}`;
  const going = hoursToWithdraw(week);
  const rows = [
    { key: "Week", value: `${weekLabel(week.week)} (${weekDays(week.week)})` },
    { key: "Hours offered now", value: hoursText(week.hours) },
    { key: "Hours that will be withdrawn", value: html`<strong id="withdrawn-hours">${hoursText(going)}</strong>` },
  ];
  if (week.booked_hours > 0) rows.push({ key: "Booked hours that stay booked", value: hoursText(week.booked_hours) });
  return html`<a href="${back}" class="govuk-back-link">Back</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Your availability</span>
    <h1 class="govuk-heading-l">${TITLE}</h1>
    ${
      canWithdraw(week) && !week.started
        ? html`${summaryList(rows)}
    <p class="govuk-body">${
      week.booked_hours > 0
        ? `Other councils will no longer be able to book the rest of this week. The ${hoursText(week.booked_hours)} already booked are not affected.`
        : "Other councils will no longer be able to book you this week."
    } To offer hours again later, list them again: your manager signs them off again.</p>
    <form method="post" action="${back}/withdraw" novalidate id="withdraw-form">
      <div class="govuk-button-group">
        ${button(`Withdraw ${hoursText(going)}`, { warning: true })}
        <a class="govuk-link" href="${back}">Keep these hours</a>
      </div>
    </form>`
        : html`<p class="govuk-body" id="nothing-to-withdraw">${
            week.started ? "This week has started, so its hours can no longer be changed." : "There are no unbooked hours to withdraw in this week."
          }</p>
    <p class="govuk-body"><a class="govuk-link" href="/availability">Back to your availability</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, state: WithdrawState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(withdrawContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#withdraw-form"), () => withdraw(view, state));
}

async function withdraw(view: View, state: WithdrawState): Promise<void> {
  let saved: Availability;
  try {
    saved = await api.delete<Availability>(`/officers/me/availability/${seg(state.week.week)}`, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, errors: errorsFromProblem(problem, {}) });
    return;
  }
  setFlash({
    heading: `${weekLabel(saved.week)}: ${hoursText(hoursToWithdraw(state.week))} withdrawn`,
    text: saved.booked_hours > 0 ? `The ${hoursText(saved.booked_hours)} already booked stay booked.` : undefined,
    success: true,
  });
  view.navigate("/availability");
}

export const availabilityWithdrawPage: Page = {
  path: "/availability/:week/withdraw",
  title: TITLE,
  access: "signed-in",
  roles: ["officer"],
  async render(view) {
    draw(view, { week: await loadWeek(view), errors: noErrors() });
  },
};
