// Check and confirm before confirming a booking request (POST /bookings/{id}/confirm): the
// officer, or a manager of the officer's council, sees the whole booking (the work, the week, the
// hours, the purchase order) first, then confirms it or declines instead.
import { api, seg, toProblem } from "../api";
import { actionsFor, serverWeek, viewerOf } from "../bookings";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import type { Booking } from "../models";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import { weekDays, weekLabel } from "../weeks";
import { bookingRows } from "./booking";
import { loadBooking } from "./bookingReason";

const TITLE = "Check the booking before you confirm it";

interface ConfirmState {
  booking: Booking;
  allowed: boolean;
  errors: FormErrors;
}

export function confirmContent(state: ConfirmState, viewerIsOfficer: boolean): SafeHtml {
  const { booking, errors } = state;
  const back = `/bookings/${booking.id}`;
  const whose = viewerIsOfficer ? "You are" : `${booking.officer.display_name} is`;
  return html`<a href="${back}" class="govuk-back-link">Back to the booking</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Booking of ${booking.officer.display_name}</span>
    <h1 class="govuk-heading-l">${TITLE}</h1>
    ${summaryList(bookingRows(booking))}
    ${
      state.allowed
        ? html`<h2 class="govuk-heading-m">Now confirm the booking</h2>
    <p class="govuk-body" id="confirm-effect">${whose} then booked for ${hoursText(booking.hours)}, ${weekLabel(booking.week)} (${weekDays(booking.week)}), and ${booking.booking_council.name} is told. Either side can still cancel it before the week starts.</p>
    <form method="post" action="${back}/confirm" novalidate id="confirm-form">
      <div class="govuk-button-group">
        ${button("Confirm booking")}
        <a class="govuk-link" href="${back}/decline">Decline instead</a>
      </div>
    </form>`
        : html`<p class="govuk-body" id="not-allowed">This booking is no longer waiting for an answer, so it cannot be confirmed.</p>
    <p class="govuk-body"><a class="govuk-link" href="${back}">Back to the booking</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, state: ConfirmState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(confirmContent(state, viewerOf(view.me, state.booking).officer));
  submitGuard()(main?.querySelector<HTMLFormElement>("#confirm-form"), () => confirm(view, state));
}

async function confirm(view: View, state: ConfirmState): Promise<void> {
  let booking: Booking;
  try {
    booking = await api.post<Booking>(`/bookings/${seg(state.booking.id)}/confirm`, undefined, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, errors: errorsFromProblem(problem, {}) });
    return;
  }
  setFlash({
    heading: "Booking confirmed",
    text: `${booking.booking_council.name} has been told. ${booking.officer.display_name} is booked for ${hoursText(booking.hours)}, ${weekLabel(booking.week)}.`,
    success: true,
  });
  view.navigate(`/bookings/${booking.id}`);
}

export const bookingConfirmPage: Page = {
  path: "/bookings/:id/confirm",
  title: TITLE,
  access: "signed-in",
  roles: ["officer", "manager"],
  async render(view) {
    const booking = await loadBooking(view);
    const allowed = actionsFor(booking, viewerOf(view.me, booking), serverWeek(view.me)).answer;
    draw(view, { booking, allowed, errors: noErrors() });
  },
};
