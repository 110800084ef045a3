// Dates as the API gives them: ISO 'YYYY-MM-DD' strings, compared as strings, shown as they are.
export function todayIso(): string {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function isIsoDate(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)
}

/** ISO date `days` after `iso` (UTC arithmetic, no time-zone drift). */
export function addDays(iso: string, days: number): string {
  const t = Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) + days * 86400000
  return new Date(t).toISOString().slice(0, 10)
}

export function show(d: string | null | undefined): string {
  return d ? d : '—'
}

/** First and last day of the month of `iso`, or of the Monday–Sunday week holding it. */
export function monthOf(iso: string): [string, string] {
  const y = +iso.slice(0, 4)
  const m = +iso.slice(5, 7)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return [`${iso.slice(0, 7)}-01`, `${iso.slice(0, 7)}-${String(last).padStart(2, '0')}`]
}

export function weekOf(iso: string): [string, string] {
  const day = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10))).getUTCDay()
  const monday = addDays(iso, -((day + 6) % 7))
  return [monday, addDays(monday, 6)]
}
