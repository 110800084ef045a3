// The 督办 list's GraphQL selection and its rows (screen, print and XLSX share them).
export const ITEM_FIELDS = `kind due daysOver node { id kind label } issue { id summary } case { id title }
  organisation { id name } region { id name } campaign { id name }`

export interface Item {
  kind: string; due: string; daysOver: number
  node: { id: string; kind: string; label: string }
  issue: { id: string; summary: string } | null
  case: { id: string; title: string | null } | null
  organisation: { id: string; name: string } | null
  region: { id: string; name: string } | null
  campaign: { id: string; name: string } | null
}

export const KIND_TEXT: Record<string, string> = { rectification: '整改逾期', transfer: '移送逾期未反馈' }

export const ITEM_HEADERS = ['类型', '事项', '问题', '单位', '地区', '专项', '期限', '逾期天数']
export const itemRow = (i: Item) => [
  KIND_TEXT[i.kind] ?? i.kind, i.node.label, i.issue?.summary ?? '', i.organisation?.name ?? '', i.region?.name ?? '',
  i.campaign?.name ?? '', i.due, i.daysOver,
]
