// ISO weeks ("2026-W49", Monday to Sunday) as the API names them, and how people read them: by
// the date of their Monday, "w/c 30 Nov 2026" (week commencing), as the server's emails do.
// Dates are calendar dates: all arithmetic is in UTC, so no clock change moves a day. Today and
// this week come from the server (GET /me), never from the browser's clock.

const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface IsoWeek {
  year: number;
  week: number;
}

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/** The Monday of week 1 of an ISO year: the week with 4 January in it. */
function firstMonday(year: number): Date {
  const jan4 = utc(year, 1, 4);
  const weekday = (jan4.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(jan4.getTime() - weekday * DAY_MS);
}

/** 52 or 53. */
export function weeksInYear(year: number): number {
  return Math.round((firstMonday(year + 1).getTime() - firstMonday(year).getTime()) / (7 * DAY_MS));
}

/** "2026-W49" → { year: 2026, week: 49 }; null when it is not a real ISO week. */
export function parseWeek(text: string | null | undefined): IsoWeek | null {
  const match = WEEK.exec(text ?? "");
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < 2000 || year > 2999 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function isWeek(text: string | null | undefined): text is string {
  return parseWeek(text) !== null;
}

export function weekText(week: IsoWeek): string {
  return `${week.year}-W${String(week.week).padStart(2, "0")}`;
}

function require(text: string): IsoWeek {
  const week = parseWeek(text);
  if (!week) throw new RangeError(`Not an ISO week: ${text}`);
  return week;
}

/** The Monday of the week, as a UTC date. */
export function monday(text: string): Date {
  const { year, week } = require(text);
  return new Date(firstMonday(year).getTime() + (week - 1) * 7 * DAY_MS);
}

/** The ISO week a calendar date (as a UTC date) falls in. */
export function weekOfDate(date: Date): string {
  const day = utc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utc(year, 1, 1).getTime()) / (7 * DAY_MS));
  return weekText({ year, week });
}

/** "2026-W49" plus 4 → "2027-W01". */
export function addWeeks(text: string, weeks: number): string {
  return weekOfDate(new Date(monday(text).getTime() + weeks * 7 * DAY_MS));
}

/** Weeks from a to b (negative when b is earlier). */
export function weeksBetween(a: string, b: string): number {
  return Math.round((monday(b).getTime() - monday(a).getTime()) / (7 * DAY_MS));
}

/** `count` weeks starting with `first`. */
export function weekRange(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addWeeks(first, i));
}

/** The first week that has not started: the one after `current` (the server's week, from /me). */
export function firstOpenWeek(current: string): string {
  return addWeeks(current, 1);
}

function dayMonth(date: Date): string {
  return `${date.getUTCDate()} ${SHORT_MONTHS[date.getUTCMonth()]}`;
}

/** "w/c 30 Nov 2026": the week by its Monday (week commencing), the way people name weeks. */
export function weekLabel(text: string): string {
  const start = monday(text);
  return `w/c ${dayMonth(start)} ${start.getUTCFullYear()}`;
}

/** "30 Nov to 6 Dec 2026" (both years across a new year): the days a week covers. */
export function weekDays(text: string): string {
  const start = monday(text);
  const end = new Date(start.getTime() + 6 * DAY_MS);
  const sameYear = start.getUTCFullYear() === end.getUTCFullYear();
  const from = sameYear ? dayMonth(start) : `${dayMonth(start)} ${start.getUTCFullYear()}`;
  return `${from} to ${dayMonth(end)} ${end.getUTCFullYear()}`;
}
