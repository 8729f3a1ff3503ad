// Cancelling a booking before its week starts, with the reason the other side is told
// (POST /bookings/{id}/cancel): for the booking council's bookers, the officer or their
// managers. Only the server knows the lending council's notice period, so whether the
// cancellation was late is shown afterwards, from its answer.
import { hoursText } from "../numbers";
import { reasonPage } from "./bookingReason";

export const bookingCancelPage = reasonPage({
  action: "cancel",
  title: "Cancel the booking",
  roles: ["officer", "manager", "booker", "council_admin"],
  allowed: (actions) => actions.cancel,
  label: "Why are you cancelling?",
  hint: (booking, viewer) =>
    viewer.booker
      ? `${booking.officer.display_name} and their manager are told your reason.`
      : `${booking.booking_council.name} is told your reason.`,
  warning: (booking) =>
    `A cancellation inside ${booking.lending_council.name}'s notice period is recorded as a late cancellation.`,
  submit: "Cancel booking",
  keep: "Keep the booking",
  notAllowed: "This booking can no longer be cancelled: it has ended, or its week has started.",
  flash: (booking) => ({
    heading: booking.late_cancellation ? "Booking cancelled: late cancellation" : "Booking cancelled",
    text: booking.late_cancellation
      ? `It was inside ${booking.lending_council.name}'s notice period, so it is recorded as a late cancellation. The other side has been told your reason.`
      : `The other side has been told your reason. The ${hoursText(booking.hours)} are free for others to book again.`,
    success: true,
  }),
});
