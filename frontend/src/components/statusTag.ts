import { html, type SafeHtml } from "./escape";
import type { AvailabilityStatus, BookingStatus } from "../models";

const TAGS: Record<AvailabilityStatus, { text: string; colour: string }> = {
  pending: { text: "Waiting for sign-off", colour: "yellow" },
  approved: { text: "Approved", colour: "green" },
  rejected: { text: "Rejected", colour: "red" },
  withdrawn: { text: "Withdrawn", colour: "grey" },
};

export function statusText(status: AvailabilityStatus | null): string {
  return status ? TAGS[status].text : "Not listed";
}

/** A week's status as a GOV.UK tag ("Not listed" when nothing is offered). */
export function statusTag(status: AvailabilityStatus | null): SafeHtml {
  if (!status) return html`<strong class="govuk-tag govuk-tag--grey">Not listed</strong>`;
  const tag = TAGS[status];
  return html`<strong class="govuk-tag govuk-tag--${tag.colour}">${tag.text}</strong>`;
}

const BOOKING_TAGS: Record<BookingStatus, { text: string; colour: string }> = {
  requested: { text: "Awaiting answer", colour: "yellow" },
  confirmed: { text: "Confirmed", colour: "green" },
  declined: { text: "Declined", colour: "red" },
  expired: { text: "Expired", colour: "grey" },
  cancelled: { text: "Cancelled", colour: "grey" },
  completed: { text: "Completed", colour: "blue" },
  invoiced: { text: "Invoiced", colour: "purple" },
};

export function bookingStatusText(status: BookingStatus): string {
  return BOOKING_TAGS[status]?.text ?? status;
}

/** A booking's status as a GOV.UK tag, with "Late cancellation" beside a late cancellation. */
export function bookingStatusTag(status: BookingStatus, late = false): SafeHtml {
  const tag = BOOKING_TAGS[status] ?? { text: status, colour: "grey" };
  return html`<strong class="govuk-tag govuk-tag--${tag.colour}">${tag.text}</strong>${
    late && status === "cancelled" ? html` <strong class="govuk-tag govuk-tag--orange">Late cancellation</strong>` : ""
  }`;
}
