// Where a node opens in the workbench (null: no view of its own yet; the explorer shows it).
export const explorerRoute = (id: string): string => `/explorer?start=${encodeURIComponent(id)}`

export function nodeRoute(kind: string, id: string): string | null {
  const e = encodeURIComponent(id)
  switch (kind) {
    case 'Official': return `/official/${e}`
    case 'Organisation': return `/organisation/${e}`
    case 'Issue': return `/chain/${e}`
    case 'Case': return `/case/${e}`
    case 'Campaign': return `/campaign/${e}`
    case 'Region': return `/stats?region=${e}`
    default: return null
  }
}
