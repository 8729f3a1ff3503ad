// The value pages' API shapes, named from the generated types.ts.
import type { components } from "../../types";

type Schemas = components["schemas"];

export type Dashboard = Schemas["DashboardOut"];
export type DashboardMonth = Schemas["DashboardMonth"];
export type DashboardPartner = Schemas["DashboardPartner"];
export type DashboardSkill = Schemas["DashboardSkill"];
export type MarketRate = Schemas["MarketRateOut"];
export type MarketRateList = Schemas["MarketRateList"];
export type MarketRateChange = Schemas["MarketRateChangeOut"];
export type SavingsSource = Schemas["SavingsSource"];
export type Settlement = Schemas["SettlementOut"];
export type SettlementList = Schemas["SettlementList"];
export type ExchangeReport = Schemas["ExchangeReport"];

/** One row of the open data file (GET /open-data/monthly.json); nulls are suppressed. */
export interface OpenDataRow {
  month: string;
  dimension: "all" | "skill_family" | "nation" | "region";
  value: string;
  bookings: number | null;
  hours: number | null;
  estimated_savings_gbp: number | null;
  hours_with_market_rate: number | null;
  councils_lending: number | null;
  councils_borrowing: number | null;
}

export interface OpenData {
  title: string;
  licence: string;
  licence_url: string;
  generated_on: string;
  months: string[];
  suppression_threshold: number;
  rows: OpenDataRow[];
}
