// Numbers people type: hours in quarter hours and amounts in pounds. Both are checked as text and
// turned into whole units (quarters, pence) with integer arithmetic, so no float drift creeps in.

export const MAX_HOURS_PER_WEEK = 60;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DECIMAL = /^(\d*)(?:\.(\d+))?$/;
const NEGATIVE = /^-\s*(\d+(\.\d*)?|\.\d+)$/;
const QUARTERS: Record<string, number> = { "": 0, "25": 1, "5": 2, "75": 3 };

export interface HoursMessages {
  /** "Enter the hours you can offer each week" */
  empty: string;
  /** "Hours per week" → "Hours per week must be a number, like 7.5" */
  name: string;
  /** The most allowed (default 60). */
  max?: number;
}

/**
 * "7.5" → 7.5, "7.25" → 7.25, "3" → 3. Quarter hours only, more than 0, at most 60 (or `max`).
 * The result is quarters / 4, which a JSON number holds exactly.
 */
export function parseHours(text: string, messages: HoursMessages): Parsed<number> {
  const value = text.trim().replace(/\s*(hours?|hrs?|h)$/i, "");
  const max = messages.max ?? MAX_HOURS_PER_WEEK;
  if (!value) return { ok: false, error: messages.empty };
  // A negative number is a number, just too small: say so, as for every other number field.
  if (NEGATIVE.test(value)) return { ok: false, error: `${messages.name} must be more than 0` };
  const match = DECIMAL.exec(value);
  if (!match || value === "." || (match[1] === "" && match[2] === undefined)) {
    return { ok: false, error: `${messages.name} must be a number, like 7.5` };
  }
  const whole = match[1] ?? "";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  const quarter = QUARTERS[fraction];
  if (quarter === undefined) {
    return { ok: false, error: `${messages.name} must be in quarter hours, like 7.25, 7.5 or 7.75` };
  }
  if (whole.replace(/^0+/, "").length > 3) {
    return { ok: false, error: `${messages.name} must be ${max} or fewer` };
  }
  const quarters = Number(whole || "0") * 4 + quarter;
  if (quarters <= 0) return { ok: false, error: `${messages.name} must be more than 0` };
  if (quarters > max * 4) return { ok: false, error: `${messages.name} must be ${max} or fewer` };
  return { ok: true, value: quarters / 4 };
}

/** 7.5 → "7.5"; 3 → "3"; 0.25 → "0.25" (API hours are exact quarters). */
export function formatHours(hours: number): string {
  return String(Math.round(hours * 100) / 100);
}

/** 7.5 → "7.5 hours"; 1 → "1 hour". */
export function hoursText(hours: number): string {
  return `${formatHours(hours)} ${hours === 1 ? "hour" : "hours"}`;
}

const POUNDS = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/** "60" → 6000; "£45.5" → 4550; "1,250.00" → 125000 pence. Integer maths only. */
export function parsePounds(text: string, name: string): Parsed<number> {
  const value = text.trim().replace(/^£\s*/, "").replace(/,(?=\d{3}(\D|$))/g, "");
  if (NEGATIVE.test(value.replace(/^-\s*£/, "-"))) return { ok: false, error: `${name} must be more than £0` };
  const match = POUNDS.exec(value);
  if (!match) return { ok: false, error: `${name} must be an amount in pounds, like 45 or 45.50` };
  const pounds = Number(match[1]);
  const pence = Number((match[2] ?? "").padEnd(2, "0"));
  const total = pounds * 100 + pence;
  if (total <= 0) return { ok: false, error: `${name} must be more than £0` };
  return { ok: true, value: total };
}

/** 6000 → "60"; 4550 → "45.50": pence as a pounds amount to put back in a field. */
export function penceToPounds(pence: number): string {
  if (!Number.isSafeInteger(pence) || pence < 0) return "";
  const pounds = Math.trunc(pence / 100);
  const rest = pence % 100;
  return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, "0")}`;
}

/** "12" → 12 for whole numbers between min and max. */
export function parseWhole(text: string, name: string, min: number, max: number, empty: string): Parsed<number> {
  const value = text.trim();
  if (!value) return { ok: false, error: empty };
  if (/^-\s*\d+$/.test(value)) return { ok: false, error: `${name} must be between ${min} and ${max}` };
  if (!/^\d+$/.test(value)) return { ok: false, error: `${name} must be a whole number, like 12` };
  const n = Number(value);
  if (n < min || n > max) return { ok: false, error: `${name} must be between ${min} and ${max}` };
  return { ok: true, value: n };
}
