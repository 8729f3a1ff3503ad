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
