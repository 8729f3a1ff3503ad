// Declining a booking request, with the reason the booking council is told
// (POST /bookings/{id}/decline): for the officer or their council's managers.
import { hoursText } from "../numbers";
import { weekLabel } from "../weeks";
import { reasonPage } from "./bookingReason";

export const bookingDeclinePage = reasonPage({
  action: "decline",
  title: "Decline the booking",
  roles: ["officer", "manager"],
  allowed: (actions) => actions.answer,
  label: "Why are you declining?",
  hint: (booking) => `${booking.booking_council.name} is told your reason.`,
  submit: "Decline booking",
  keep: "Back to the booking",
  notAllowed: "This booking is no longer waiting for an answer, so it cannot be declined.",
  flash: (booking) => ({
    heading: "Booking declined",
    text: `${booking.booking_council.name} has been told your reason. The ${hoursText(booking.hours)} in ${weekLabel(booking.week)} are free for others to book again.`,
    success: true,
  }),
});
