// Shapes of the JSON API (see shared/API.md). Responses may carry more fields than these.

export type Role = "officer" | "manager" | "booker" | "finance" | "council_admin";

export const ALL_ROLES: readonly Role[] = ["officer", "manager", "booker", "finance", "council_admin"];

export interface Council {
  id: string;
  name: string;
  code: string;
  nation: string;
  region: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  council: Council | null;
  roles: Role[];
  is_platform_admin: boolean;
  officer_id: string | null;
  csrf_token?: string | null;
}

export interface SessionResponse {
  user: Me;
  csrf_token: string;
}

export interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Skill {
  slug: string;
  name: string;
  family: string;
}

export interface Agreement {
  version: string;
  text: string;
  officer_consent_text: string;
}

export interface Officer {
  id: string;
  council: Council;
  display_name: string;
  job_title: string;
  summary: string;
  skills: Skill[];
  visible: boolean;
  rate_pence_per_hour: number | null;
  consent_version: string | null;
  consented_at: string | null;
  consent_current: boolean;
}

export interface OfficerUpdate {
  display_name: string;
  job_title: string;
  summary: string;
  skills: string[];
  visible: boolean;
}

export interface CouncilUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  line_manager_id: string | null;
  active: boolean;
}

export interface Invitation {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  expires_at: string;
  accepted_at: string | null;
}

// --- availability and sign-off ---------------------------------------------------------------

export type AvailabilityStatus = "pending" | "approved" | "rejected" | "withdrawn";

export interface BankHoliday {
  date: string;
  name: string;
}

/** A week of the officer's calendar; `id` and `status` are null when nothing is listed. */
export interface Week {
  id: string | null;
  week: string;
  week_start: string;
  /** Offered: approved plus pending. */
  hours: number;
  approved_hours: number;
  pending_hours: number;
  booked_hours: number;
  status: AvailabilityStatus | null;
  single_booking: boolean;
  reject_reason: string | null;
  started: boolean;
  working_days: number;
  bank_holidays: BankHoliday[];
}

export interface Availability extends Week {
  id: string;
  status: AvailabilityStatus;
  officer_id: string;
  decided_by_id: string | null;
  decided_at: string | null;
  updated_at: string;
}

export interface OfficerRef {
  id: string;
  display_name: string;
  job_title: string;
}

export interface Approval extends Availability {
  officer: OfficerRef;
}

export interface BulkApproveResult {
  approved: Approval[];
  skipped: { id: string; reason: string }[];
}

export interface Permission {
  id: string;
  officer_id: string;
  max_hours_per_week: number;
  valid_from: string;
  valid_until: string | null;
  created_by_id: string;
  created_at: string;
  ended_at: string | null;
  active: boolean;
}

/** An officer as another user sees them (GET /officers, /officers/{id}, search results). */
export interface OfficerProfile {
  id: string;
  council: Council;
  display_name: string;
  job_title: string;
  summary: string;
  skills: Skill[];
  visible: boolean;
  rate_pence_per_hour: number | null;
}

export interface SearchHit {
  officer: OfficerProfile;
  availability_id: string;
  week: string;
  week_start: string;
  available_hours: number;
  rate_pence_per_hour: number;
  single_booking: boolean;
  matched_skills: number;
}

// --- bookings --------------------------------------------------------------------------------

export type BookingStatus = "requested" | "confirmed" | "declined" | "expired" | "cancelled" | "completed" | "invoiced";

/** Which bookings to list: those the council made, those of its officers, or the officer's own. */
export type BookingSide = "booking" | "lending" | "mine";

export interface Booking {
  id: string;
  status: BookingStatus;
  officer: OfficerRef;
  lending_council: Council;
  booking_council: Council;
  booker_id: string;
  week: string;
  week_start: string;
  hours: number;
  rate_pence_per_hour: number;
  purpose: string;
  purchase_order: string | null;
  requested_at: string;
  expires_at: string;
  decided_at: string | null;
  decline_reason: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  late_cancellation: boolean;
  timesheet_hours: number | null;
  timesheet_note: string | null;
  actual_hours: number | null;
  completed_at: string | null;
}

export interface BookingCreate {
  officer_id: string;
  week: string;
  hours: number;
  purpose: string;
  purchase_order?: string;
}

/** One event of a booking's audit trail (GET /bookings/{id}/history). */
export interface HistoryEvent {
  at: string;
  action: string;
  summary: string;
  actor_user_id: string | null;
}

export interface CalendarLink {
  url: string;
}

// --- invoicing -------------------------------------------------------------------------------

export type InvoiceStatus = "draft" | "issued" | "paid" | "credited";

/** Which invoices to list: those the council sent, or those sent to it. */
export type InvoiceDirection = "outgoing" | "incoming";

export interface InvoiceLine {
  booking_id: string;
  officer: string;
  officer_id: string;
  week: string;
  purchase_order: string | null;
  minutes: number;
  rate_pence_per_hour: number;
  amount_pence: number;
}

export interface CreditNote {
  id: string;
  number: string;
  reason: string;
  net_pence: number;
  vat_pence: number;
  gross_pence: number;
  issue_date: string;
}

/** A council as the invoice names it; the address lines are there once it is issued (if the API gives them). */
export interface InvoiceParty {
  name: string;
  code?: string;
  address_lines?: string[];
  vat_number?: string | null;
  contact_email?: string | null;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  issuer: Council;
  customer: Council;
  period: string;
  lines: InvoiceLine[];
  vat_category: string;
  vat_rate_bps: number;
  vat_reason: string | null;
  net_pence: number;
  vat_pence: number;
  gross_pence: number;
  credited_gross_pence: number;
  issue_date: string | null;
  issued_at: string | null;
  due_date: string | null;
  paid_on: string | null;
  payment_reference: string | null;
  credit_notes: CreditNote[];
  /** Not in the API yet: the issued invoice's parties with their addresses. */
  parties?: { seller?: InvoiceParty; buyer?: InvoiceParty } | null;
}

export interface InvoiceRun {
  invoices: Invoice[];
}

export interface StripePayment {
  payment_intent_id: string;
  client_secret: string;
  amount_pence: number;
  currency: string;
}
