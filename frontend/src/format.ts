// Formatting for display. Money is integer pence: never divided as a float.

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** 4550 → "£45.50"; 123456789 → "£1,234,567.89"; -150 → "-£1.50". */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`Not a whole number of pence: ${pence}`);
  const negative = pence < 0;
  const digits = String(Math.abs(pence)).padStart(3, "0");
  const pounds = digits.slice(0, -2).replace(GROUP, ",");
  const pennies = digits.slice(-2);
  return `${negative ? "-" : ""}£${pounds}.${pennies}`;
}

/** A rate in pence per hour, or "Not set". */
export function formatRate(pencePerHour: number | null | undefined): string {
  if (pencePerHour === null || pencePerHour === undefined) return "Not set";
  return `${formatPence(pencePerHour)} per hour`;
}

const LONG_DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  // h12, not hour12: en-GB's 12-hour clock otherwise starts at 0 ("0:30am" for half past midnight).
  hourCycle: "h12",
  timeZone: "Europe/London",
});

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-12-03T10:00:00+00:00" → "3 December 2026" (the date in London). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = parse(iso);
  return date ? LONG_DATE.format(date) : iso;
}

/** "2026-12-03T14:05:00Z" → "3 December 2026 at 2:05pm" (London time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = parse(iso);
  if (!date) return iso;
  const parts = DATE_TIME.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  const dayPeriod = get("dayPeriod").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  const day = `${get("day")} ${get("month")} ${get("year")}`;
  // GOV.UK style: midnight and midday, not 12am and 12pm.
  if (get("hour") === "12" && get("minute") === "00") return `${day} at ${dayPeriod.startsWith("a") ? "midnight" : "midday"}`;
  return `${day} at ${get("hour")}:${get("minute")}${dayPeriod}`;
}

/**
 * A deadline: "the end of 27 November 2026" when it falls at midnight in London (the API's
 * deadlines are the start of the next day), otherwise the date and time.
 */
export function formatDeadline(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = parse(iso);
  if (!date) return iso;
  const parts = DATE_TIME.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  const midnight = get("hour") === "12" && get("minute") === "00" && get("dayPeriod").toLowerCase().startsWith("a");
  if (!midnight) return formatDateTime(iso);
  return `the end of ${LONG_DATE.format(new Date(date.getTime() - 60_000))}`;
}

const ROLE_LABELS: Record<string, string> = {
  officer: "Officer",
  manager: "Manager",
  booker: "Booker",
  finance: "Finance",
  council_admin: "Council admin",
  platform_admin: "Platform admin",
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function formatRoles(roles: readonly string[]): string {
  return roles.map(roleLabel).join(", ");
}

/** Joins words as in English: "a", "a and b", "a, b and c" (or "a, b or c" with "or"). */
export function joinWords(words: readonly string[], conjunction: "and" | "or" = "and"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A calendar date "2026-12-25" → "25 December 2026" (no time zone involved). */
export function formatDay(isoDate: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? "");
  if (!match) return isoDate ?? "";
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? ""} ${match[1]}`;
}
