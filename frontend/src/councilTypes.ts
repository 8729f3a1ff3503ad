// Types for the pages where councils run themselves (joining, the agreement, settings, people,
// the platform's pages, the audit trail, home tasks). Kept apart from types.ts, which is
// generated from the OpenAPI document.
import type { Council, Role } from "./models";

export type CouncilState = "not_joined" | "requested" | "invited" | "member" | "left";

export interface RegisterCouncil {
  code: string;
  name: string;
  nation: string;
}

export interface AgreementVersion {
  version: string;
  text: string;
  officer_consent_text: string;
  published_at: string;
}

export interface CouncilAgreement {
  council_id: string;
  current_version: string;
  accepted_version: string | null;
  accepted_at: string | null;
  accepted_by_name: string | null;
  accepted_current: boolean;
  left_at: string | null;
}

export interface Acceptance {
  council: { id: string; name: string; code: string };
  version: string;
  accepted_at: string;
}

export interface JoinRequest {
  id: string;
  council: Council & { gss_code?: string | null };
  council_state: CouncilState;
  council_people: number;
  email_domains: string[];
  email_has_account: boolean;
  name: string;
  job_title: string;
  email: string;
  status: "unverified" | "pending" | "approved" | "declined";
  created_at: string;
  verified_at: string | null;
  decided_at: string | null;
  decline_reason: string | null;
  invitation_id: string | null;
}

export interface CouncilEntry extends Council {
  gss_code: string | null;
  authority_type: string | null;
  state: CouncilState;
  people: number;
}

export interface PoolHealth {
  today: string;
  quarter_first: string;
  quarter_last: string;
  month: string;
  member_councils: number;
  councils_on_current_agreement: number;
  officers_listed: number;
  hours_listed: number;
  bookings: number;
  booked_pence: number;
}

export interface Task {
  key: string;
  count: number;
  text: string;
  href: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_name: string | null;
  council_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  summary: string;
}

export interface AuditPerson {
  user_id: string;
  name: string;
}

/** Council settings as the API returns them; fields added later may be absent. */
export type CouncilSettings = Record<string, unknown> & { council_id: string };

export interface Person {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  line_manager_id: string | null;
  active: boolean;
}

export const STATE_LABELS: Record<CouncilState, string> = {
  not_joined: "Not joined",
  requested: "Requested",
  invited: "Invited",
  member: "Member",
  left: "Left",
};
