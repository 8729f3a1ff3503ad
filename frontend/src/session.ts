// Who is signed in. The session itself is an HttpOnly cookie; we keep the user and the CSRF token
// in memory, from sign-in or, after a reload, from GET /me.

import { API_BASE, ProblemError, api, getCsrfToken, setCsrfToken } from "./api";
import type { Me, Role, SessionResponse } from "./models";

let current: Me | null = null;

export function currentUser(): Me | null {
  return current;
}

export function hasRole(me: Me | null, roles: readonly Role[] | undefined): boolean {
  if (!roles || roles.length === 0) return me !== null;
  return me !== null && roles.some((role) => me.roles.includes(role));
}

/** Starts a session from a sign-in (or invitation acceptance) response. */
export function startSession(response: SessionResponse): Me {
  current = response.user;
  setCsrfToken(response.csrf_token ?? response.user.csrf_token ?? null);
  return current;
}

export function endSession(): void {
  current = null;
  setCsrfToken(null);
}

/** Asks the server who is signed in; null when nobody is (401). */
export async function loadSession(): Promise<Me | null> {
  try {
    const me = await api.get<Me>("/me", { expectUnauthorized: true });
    current = me;
    setCsrfToken(me.csrf_token ?? null);
    return me;
  } catch (error) {
    if (error instanceof ProblemError && error.status === 401) {
      endSession();
      return null;
    }
    throw error;
  }
}

/** The second factor, when two-factor sign-in is on: a code from the app or a recovery code. */
export interface SecondFactor {
  totp?: string;
  recovery_code?: string;
}

export async function signIn(email: string, password: string, second: SecondFactor = {}): Promise<Me> {
  const response = await api.post<SessionResponse>("/auth/login", { email, password, ...second }, { expectUnauthorized: true });
  return startSession(response);
}

/** How to know the server asks for the code from the authenticator app (401 of this type). */
export const SECOND_FACTOR_REQUIRED = "/problems/second-factor-required";

/**
 * Ends the session. After single sign-on the server names the provider's own sign-out page
 * (header X-End-Session-URL), returned so the caller can go there.
 */
export async function signOut(): Promise<string | null> {
  try {
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    const csrf = getCsrfToken();
    if (csrf) headers["X-CSRF-Token"] = csrf;
    const response = await fetch(`${API_BASE}/auth/logout`, { method: "POST", headers, credentials: "same-origin" });
    return response.ok ? response.headers.get("X-End-Session-URL") : null;
  } finally {
    endSession();
  }
}

// A message for the next page shown (for example "You have signed out").
export interface Flash {
  heading: string;
  text?: string;
  success?: boolean;
  title?: string;
}

let flash: Flash | null = null;

export function setFlash(message: Flash): void {
  flash = message;
}

export function takeFlash(): Flash | null {
  const message = flash;
  flash = null;
  return message;
}
