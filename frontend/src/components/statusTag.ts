import { html, type SafeHtml } from "./escape";
import type { AvailabilityStatus } from "../types";

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
