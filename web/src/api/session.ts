// The ONE module that knows who is signed in, and what happens when nobody is.
//
// - every request to the server goes through `serverFetch`, which sends the session cookie
//   (credentials: 'same-origin') and `X-Wenze-Request: 1` (the server's guard against cross-site
//   requests that carry the cookie);
// - an HTTP 401 sends the browser to `/login?next=<the current path>`;
// - `currentUser` is the user from `GET /auth/me`; a server without sign-in answers 404 there,
//   and then no user is shown.
import { ref } from 'vue'

export interface SignedInUser {
  id: string
  name: string
  [key: string]: unknown
}

export const currentUser = ref<SignedInUser | null>(null)

export class SignInRequired extends Error {
  constructor() {
    super('需要登录 (sign-in required)')
  }
}

export function loginUrl(): string {
  const here = window.location.pathname + window.location.search
  return `/login?next=${encodeURIComponent(here)}`
}

export async function serverFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('X-Wenze-Request', '1')
  const response = await fetch(url, { ...init, headers, credentials: 'same-origin' })
  if (response.status === 401) {
    window.location.assign(loginUrl())
    throw new SignInRequired()
  }
  return response
}

let loaded: Promise<void> | null = null

/** Ask the server once who is signed in (404: this server has no sign-in; nobody is shown). */
export function loadCurrentUser(): Promise<void> {
  loaded ??= (async () => {
    try {
      const r = await fetch('/auth/me', {
        headers: { 'X-Wenze-Request': '1', Accept: 'application/json' },
        credentials: 'same-origin',
      })
      if (!r.ok) {
        currentUser.value = null
        return
      }
      const body = (await r.json()) as Record<string, unknown>
      const user = (body.user ?? body) as Record<string, unknown>
      const name = String(user.name ?? user.display_name ?? user.username ?? user.id ?? '')
      currentUser.value = name ? { ...user, id: String(user.id ?? name), name } : null
    } catch {
      currentUser.value = null
    }
  })()
  return loaded
}
