// The explorer's data, apart from any drawing: what a node and a relationship hold, the rules of time
// (what is valid on a day), the supernode fold, and the file formats of the exports.
//
//   validOn(edge.properties, '2023-02-15')          // HELD_POST start ≤ day ≤ end (open end: still valid)
//   fold(newNeighbours, 20, 'recency')               // { shown: top 20, folded: the rest }
//   toGexf(nodes, edges) / toGraphml(nodes, edges)   // UTF-8 XML that Gephi and networkx read
import { KIND } from '../labels'

export interface XNode {
  id: string
  kind: string
  label: string
  // From the node's own record (ExplorerView fetches them): dates and, for a measure, form and period.
  first?: string | null // the first date the node has (occurred, opened, decided, …)
  form?: number | null
  effectiveOn?: string | null
  periodEnd?: string | null
  deadline?: string | null
  closedOn?: string | null // a case's 结案日期
  status?: string | null // a case's status as recorded (open, closed, …)
}

export interface XEdge {
  id: string
  type: string
  source: string
  target: string
  properties: Record<string, unknown> | null
}

// Relationship kinds and their Chinese names (schema/model.py REL_KINDS).
export const REL_LABEL: Record<string, string> = {
  PART_OF: '隶属', IN_REGION: '所在区划', UNDER: '上级单位', HELD_POST: '任职', ATTENDED: '参加', ORGANISED: '组织',
  SUBMITTED: '提交', REVIEWED_BY: '审议', ASSESSES: '考评对象', INSPECTED: '督察对象', FOUND: '发现', AT: '问题单位',
  RESPONSIBLE: '责任人', HAS_STEP: '整改步骤', BY: '作出主体', LED_TO: '导致', CONCERNS: '涉及', DECIDED: '作出',
  APPLIES_TO: '适用于', TRANSFERRED: '移送', TO: '移送至', EXPOSED_IN: '曝光', EVIDENCED_BY: '依据',
}

// One colour per node kind (the four forms keep their own colours, labels.ts FORM_COLOR, on measures).
export const KIND_COLOR: Record<string, string> = {
  Official: '#1d5fa8', Organisation: '#5b6b7f', Region: '#8c9bab', Issue: '#c0392b', Case: '#7b3fa0',
  Measure: '#e6a23c', Transfer: '#16817a', Exposure: '#a15c00', Clue: '#b35c8a', Inspection: '#2e7d32',
  Campaign: '#3b6e22', Document: '#6d6d6d', StudyEvent: '#3c8dbc', DutyReport: '#3c8dbc', Assessment: '#3c8dbc',
  RectificationStep: '#d35400',
}

export const kindLabel = (kind: string) => KIND[kind] ?? kind
export const relLabel = (type: string) => REL_LABEL[type] ?? type

const dateOf = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null)

/** The interval a relationship is valid over: HELD_POST start/end, REVIEWED_BY date; null ends are open. */
export function edgeInterval(props: Record<string, unknown> | null): { start: string | null; end: string | null } {
  const p = props ?? {}
  const start = dateOf(p.start) ?? dateOf(p.date)
  const end = dateOf(p.end) ?? dateOf(p.date)
  return { start, end }
}

/** Whether a relationship is valid on `day` (one without dates always is). */
export function validOn(props: Record<string, unknown> | null, day: string): boolean {
  const { start, end } = edgeInterval(props)
  return (start === null || start <= day) && (end === null || end >= day)
}

/** Whether a relationship overlaps the window [from, to] (null: unbounded on that side). */
export function overlaps(props: Record<string, unknown> | null, from: string | null, to: string | null): boolean {
  const { start, end } = edgeInterval(props)
  return !(to !== null && start !== null && start > to) && !(from !== null && end !== null && end < from)
}

/** Whether a node already existed on `day` (its first date, if any, is not after it). */
export function nodeExistsOn(node: XNode, day: string): boolean {
  return !node.first || node.first <= day
}

/** A measure in effect on `day` (effective or decided on or before it, and its period not over). */
export function inEffectOn(node: XNode, day: string): boolean {
  if (node.kind !== 'Measure') return false
  const start = node.effectiveOn ?? node.first
  if (!start || start > day) return false
  return node.periodEnd === null || node.periodEnd === undefined || node.periodEnd >= day
}

export type CaseStatus = 'open' | 'closed'
export const CASE_STATUS_LABEL: Record<CaseStatus, string> = { open: '办理中', closed: '已结案' }

/** A case's status on `day` (closed once its 结案日期 has passed; null day: as recorded); null for other kinds. */
export function caseStatusOn(node: XNode, day: string | null): CaseStatus | null {
  if (node.kind !== 'Case') return null
  if (day && node.closedOn) return node.closedOn <= day ? 'closed' : 'open'
  if (day && !node.closedOn && node.status === 'closed') return 'closed'
  if (day) return 'open'
  return node.closedOn || node.status === 'closed' ? 'closed' : 'open'
}

/** Every date the nodes and relationships on screen mark (the as-of slider's stops), sorted. */
export function timeStops(nodes: XNode[], edges: XEdge[]): string[] {
  const out = new Set<string>()
  for (const e of edges) {
    const { start, end } = edgeInterval(e.properties)
    if (start) out.add(start)
    if (end) out.add(end)
  }
  for (const n of nodes) for (const d of [n.first, n.effectiveOn, n.periodEnd, n.deadline, n.closedOn]) if (d) out.add(d)
  return [...out].sort()
}

export type FoldOrder = 'recency' | 'degree'

/** Split new neighbours into the `limit` shown first (most recent relationship, or most links) and the rest. */
export function fold<T extends { id: string; date: string | null; degree: number }>(
  items: T[], limit: number, order: FoldOrder,
): { shown: T[]; folded: T[] } {
  const key = order === 'recency'
    ? (a: T, b: T) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id)
    : (a: T, b: T) => b.degree - a.degree || a.id.localeCompare(b.id)
  const sorted = [...items].sort(key)
  return { shown: sorted.slice(0, limit), folded: sorted.slice(limit) }
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/** GEXF 1.3 (Gephi): nodes with Chinese labels and kind, edges with type and dates (start/end when dated). */
export function toGexf(nodes: XNode[], edges: XEdge[], creator: string): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <meta><creator>${xml(creator)}</creator><description>问责 关系网络导出</description></meta>
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node"><attribute id="kind" title="类别" type="string"/><attribute id="kind_label" title="类别名称" type="string"/></attributes>
    <attributes class="edge"><attribute id="type" title="关系类型" type="string"/><attribute id="start" title="起" type="string"/><attribute id="end" title="止" type="string"/></attributes>
    <nodes>
`
  const ns = nodes.map((n) =>
    `      <node id="${xml(n.id)}" label="${xml(n.label)}"><attvalues><attvalue for="kind" value="${xml(n.kind)}"/><attvalue for="kind_label" value="${xml(kindLabel(n.kind))}"/></attvalues></node>`,
  )
  const es = edges.map((e) => {
    const { start, end } = edgeInterval(e.properties)
    const dated = [start ? `<attvalue for="start" value="${start}"/>` : '', end ? `<attvalue for="end" value="${end}"/>` : ''].join('')
    return `      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}" label="${xml(relLabel(e.type))}"><attvalues><attvalue for="type" value="${xml(e.type)}"/>${dated}</attvalues></edge>`
  })
  return `${head}${ns.join('\n')}\n    </nodes>\n    <edges>\n${es.join('\n')}\n    </edges>\n  </graph>\n</gexf>\n`
}

/** GraphML: nodes (label, kind), edges (type, label, start, end); parallel edges kept. */
export function toGraphml(nodes: XNode[], edges: XEdge[]): string {
  const keys = [
    '<key id="label" for="node" attr.name="label" attr.type="string"/>',
    '<key id="kind" for="node" attr.name="kind" attr.type="string"/>',
    '<key id="type" for="edge" attr.name="type" attr.type="string"/>',
    '<key id="elabel" for="edge" attr.name="label" attr.type="string"/>',
    '<key id="start" for="edge" attr.name="start" attr.type="string"/>',
    '<key id="end" for="edge" attr.name="end" attr.type="string"/>',
  ]
  const ns = nodes.map((n) => `    <node id="${xml(n.id)}"><data key="label">${xml(n.label)}</data><data key="kind">${xml(n.kind)}</data></node>`)
  const es = edges.map((e) => {
    const { start, end } = edgeInterval(e.properties)
    return `    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}"><data key="type">${xml(e.type)}</data><data key="elabel">${xml(relLabel(e.type))}</data>${start ? `<data key="start">${start}</data>` : ''}${end ? `<data key="end">${end}</data>` : ''}</edge>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  ${keys.join('\n  ')}
  <graph id="wenze" edgedefault="directed">
${ns.join('\n')}
${es.join('\n')}
  </graph>
</graphml>
`
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** CSV (UTF-8 with a BOM, so Excel and WPS read the Chinese): one row per node, then one per relationship. */
export function toCsv(nodes: XNode[], edges: XEdge[]): string {
  const rows: unknown[][] = [['元素', 'id', '类别', '名称', '起点', '终点', '起', '止']]
  for (const n of nodes) rows.push(['节点', n.id, kindLabel(n.kind), n.label, '', '', '', ''])
  for (const e of edges) {
    const { start, end } = edgeInterval(e.properties)
    rows.push(['关系', e.id, relLabel(e.type), relLabel(e.type), e.source, e.target, start ?? '', end ?? ''])
  }
  return '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** Offer text as a download (UTF-8). */
export function download(name: string, text: string | Blob, type = 'application/xml;charset=utf-8'): void {
  const blob = typeof text === 'string' ? new Blob([text], { type }) : text
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Undo/redo over snapshots (JSON strings of the whole scene). */
export class History {
  private past: string[] = []
  private future: string[] = []
  constructor(private readonly cap = 100) {}
  push(state: string): void {
    if (this.past[this.past.length - 1] === state) return
    this.past.push(state)
    if (this.past.length > this.cap) this.past.shift()
    this.future = []
  }
  undo(current: string): string | null {
    const prev = this.past.pop()
    if (prev === undefined) return null
    this.future.push(current)
    return prev
  }
  redo(current: string): string | null {
    const next = this.future.pop()
    if (next === undefined) return null
    this.past.push(current)
    return next
  }
  get canUndo(): boolean { return this.past.length > 0 }
  get canRedo(): boolean { return this.future.length > 0 }
}
