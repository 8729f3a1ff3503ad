// The API's shapes under the names the SPA uses. The shapes themselves are generated from the
// server's OpenAPI document into types.ts (`make types`; never edit that file by hand): this file
// only names them, and narrows the few that the schema cannot say precisely.
import type { components } from "./types";

type Schemas = components["schemas"];

export type Role = Schemas["Role"];

export const ALL_ROLES: readonly Role[] = ["officer", "manager", "booker", "finance", "council_admin"];

export type Council = Schemas["CouncilOut"];

/** The signed-in person, with the server's today ("2026-11-30") and ISO week ("2026-W49"). */
export type Me = Schemas["MeOut"];

export type SessionResponse = Omit<Schemas["SessionStarted"], "user"> & { user: Me };

/** A page of a list; `next_cursor` is null on the last page (the server always sends it). */
export interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

export type Skill = Schemas["SkillOut"];
export type Agreement = Schemas["AgreementOut"];
/** The officer's own profile (GET /officers/me). */
export type Officer = Schemas["MyOfficerOut"];
export type OfficerUpdate = Required<Schemas["OfficerUpdate"]>;
export type CouncilUser = Schemas["UserOut"];
export type Invitation = Omit<Schemas["InvitationOut"], "roles"> & { roles: Role[] };

// --- availability and sign-off ---------------------------------------------------------------

export type AvailabilityStatus = NonNullable<Schemas["WeekOut"]["status"]>;
export type BankHoliday = Schemas["BankHolidayOut"];
/** A week of the officer's calendar; `id` and `status` are null when nothing is listed. */
export type Week = Schemas["WeekOut"];
export type Availability = Schemas["AvailabilityOut"];
export type OfficerRef = Schemas["OfficerRef"];
export type Approval = Schemas["ApprovalOut"];
export type BulkApproveResult = Schemas["BulkApproveOut"];
export type Permission = Schemas["PermissionOut"];
/** An officer as another user sees them (GET /officers, /officers/{id}, search results). */
export type OfficerProfile = Schemas["OfficerOut"];
export type SearchHit = Schemas["SearchHitOut"];

// --- bookings --------------------------------------------------------------------------------

export type Booking = Schemas["BookingOut"];
export type BookingStatus = Booking["status"];
/** Which bookings to list: those the council made, those of its officers, or the officer's own. */
export type BookingSide = "booking" | "lending" | "mine";
export type BookingCreate = Schemas["BookingCreate"];
/** One event of a booking's audit trail (GET /bookings/{id}/history). */
export type HistoryEvent = Schemas["HistoryEventOut"];
export type CalendarLink = Schemas["CalendarLinkOut"];

// --- invoicing -------------------------------------------------------------------------------

export type InvoiceStatus = Schemas["InvoiceOut"]["status"];
/** Which invoices to list: those the council sent, or those sent to it. */
export type InvoiceDirection = "outgoing" | "incoming";
export type InvoiceLine = Schemas["InvoiceLineOut"];
export type CreditNote = Schemas["CreditNoteOut"];

/** A council as an issued invoice names it (the schema leaves `parties` open). */
export interface InvoiceParty {
  name: string;
  code?: string;
  address_lines?: string[];
  vat_number?: string | null;
  contact_email?: string | null;
}

export type Invoice = Omit<Schemas["InvoiceOut"], "parties" | "credit_notes"> & {
  credit_notes: CreditNote[];
  parties?: { seller?: InvoiceParty; buyer?: InvoiceParty } | null;
  /** The number a draft will take when it is issued (null once issued). */
  next_number?: string | null;
};

export type InvoiceRun = Omit<Schemas["RunOut"], "invoices"> & { invoices: Invoice[] };
export type StripePayment = Schemas["CardPaymentOut"];

// --- market (issue 13): notifications --------------------------------------------------------

export type AppNotification = Schemas["NotificationOut"];
export type MarkedRead = Schemas["MarkedReadOut"];
export type Cost = Schemas["CostOut"];
export type Contact = Schemas["ContactOut"];
/** One officer in the people-shaped search, with their free weeks in date order. */
export type PersonHit = Schemas["PersonHitOut"];
export type WeekFree = Schemas["WeekFreeOut"];
export type PeoplePage = Schemas["PeoplePage"];
export type HelpRequest = Schemas["RequestOut"];
export type Offer = Schemas["OfferOut"];
export type Accepted = Schemas["AcceptedOut"];
export type Message = Schemas["MessageOut"];
export type SavedSearch = Schemas["SavedSearchOut"];
