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
