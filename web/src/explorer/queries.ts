// The explorer's GraphQL: every read it makes (neighbourhood, details, responsibility, paths, analytics).
import { gql } from '../api/client'
import type { XEdge, XNode } from './model'

export interface SubgraphJson { nodes: { id: string; kind: string; label: string }[]; edges: XEdge[]; truncated: boolean }

export async function neighbourhood(id: string, limit = 1000): Promise<SubgraphJson> {
  const q = `query($id: ID!, $limit: Int!) { neighbourhood(id: $id, depth: 1, limit: $limit) { json } }`
  return (await gql<{ neighbourhood: { json: SubgraphJson } }>(q, { id, limit })).neighbourhood.json
}

export interface AggregateCount { key: string; label: string; count: number }
export interface Expansion {
  capped: boolean; message: string; cap: number; visible: number; wouldAdd: number
  subgraph: { json: SubgraphJson } | null
  aggregate: { nodeId: string; neighbourCount: number; relationshipCount: number; atLeast: boolean; byKind: AggregateCount[]; byRelationship: AggregateCount[]; byRegion: AggregateCount[] } | null
}

/** A guarded expand: the neighbours as a subgraph, or past the cap the server's counts (nothing to draw). */
export async function expandNode(v: { id: string; visible: number; cap: number; kinds: string[]; validFrom: string | null; validTo: string | null }): Promise<Expansion> {
  const q = `query($id: ID!, $visible: Int!, $cap: Int!, $kinds: [String!], $vf: Date, $vt: Date) {
    expandNode(id: $id, visible: $visible, cap: $cap, kinds: $kinds, validFrom: $vf, validTo: $vt) {
      capped message cap visible wouldAdd subgraph { json }
      aggregate { nodeId neighbourCount relationshipCount atLeast byKind { key label count }
        byRelationship { key label count } byRegion { key label count } } } }`
  const vars = { id: v.id, visible: v.visible, cap: v.cap, kinds: v.kinds.length ? v.kinds : null, vf: v.validFrom, vt: v.validTo }
  return (await gql<{ expandNode: Expansion }>(q, vars)).expandNode
}

export async function linksAmong(ids: string[]): Promise<SubgraphJson> {
  const q = `query($ids: [ID!]!) { linksAmong(nodeIds: $ids) { json } }`
  return (await gql<{ linksAmong: { json: SubgraphJson } }>(q, { ids })).linksAmong.json
}

const DETAILS = `query($ids: [ID!]!) { nodes(ids: $ids) { id kind label
  ... on Issue { occurredOn foundOn deadline }
  ... on Case { openedOn closedOn status }
  ... on Measure { form decidedOn effectiveOn periodEnd }
  ... on Transfer { transferredOn }
  ... on Exposure { publishedOn }
  ... on Clue { receivedOn }
  ... on RectificationStep { on: date }
  ... on Inspection { start }
  ... on StudyEvent { studyDate: date }
} }`

type Detail = { id: string; kind: string; label: string } & Record<string, string | number | null | undefined>

/** Dates and forms of the nodes (100 ids per request, the API's cap). */
export async function details(ids: string[]): Promise<Map<string, Partial<XNode>>> {
  const out = new Map<string, Partial<XNode>>()
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100)
    for (const d of (await gql<{ nodes: Detail[] }>(DETAILS, { ids: chunk })).nodes) {
      const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null)
      const first = s('occurredOn') ?? s('foundOn') ?? s('openedOn') ?? s('decidedOn') ?? s('transferredOn')
        ?? s('publishedOn') ?? s('receivedOn') ?? s('on') ?? s('start') ?? s('studyDate')
      out.set(d.id, {
        first, form: typeof d.form === 'number' ? d.form : null, effectiveOn: s('effectiveOn'),
        periodEnd: s('periodEnd'), deadline: s('deadline'),
        ...(d.kind === 'Case' ? { closedOn: s('closedOn'), status: s('status') } : {}),
      })
    }
  }
  return out
}

export interface Responsible { basis: string; kind: string; official: { id: string; name: string }; post: { title: string | null; start: string | null; end: string | null } | null }

export async function responsibleFor(issueId: string): Promise<{ occurredOn: string | null; foundOn: string | null; responsible: Responsible[] } | null> {
  const q = `query($id: ID!) { issue(id: $id) { occurredOn foundOn
    responsible { basis kind official { id name } post { title start end } } } }`
  return (await gql<{ issue: { occurredOn: string | null; foundOn: string | null; responsible: Responsible[] } | null }>(q, { id: issueId })).issue
}

export interface Superior { officialId: string; officialName: string; organisationId: string; organisationName: string; title: string | null; acting: boolean; start: string | null; end: string | null; on: string; via: string }

/** The principals of the organisation above an issue's, in office on its date (null: not an issue). */
export async function superiorsOf(issueId: string): Promise<Superior[] | null> {
  const q = `query($id: ID!) { superiorsInOffice(issue: $id) { officialId officialName organisationId organisationName title acting start end on via } }`
  return (await gql<{ superiorsInOffice: Superior[] | null }>(q, { id: issueId })).superiorsInOffice
}

export interface PathResult { truncated: boolean; paths: { length: number; nodeIds: string[]; edges: XEdge[] }[]; subgraph: { json: SubgraphJson } }

export async function kShortestPaths(v: { from: string; to: string; k: number; maxHops: number; exclude: string[]; validFrom: string | null; validTo: string | null }): Promise<PathResult> {
  const q = `query($from: ID!, $to: ID!, $k: Int!, $maxHops: Int!, $exclude: [String!], $vf: Date, $vt: Date) {
    kShortestPaths(from: $from, to: $to, k: $k, maxHops: $maxHops, excludeKinds: $exclude, validFrom: $vf, validTo: $vt) {
      truncated paths { length nodeIds edges { id type source target properties } } subgraph { json } } }`
  return (await gql<{ kShortestPaths: PathResult }>(q, { ...v, vf: v.validFrom, vt: v.validTo })).kShortestPaths
}

export interface AnalyticsResult { nodeCount: number; edgeCount: number; communityCount: number; modularity: number; maxCore: number; betweennessPivots: number | null; json: Record<string, { degree: number; betweenness: number; core: number; community: number }> }

export async function analytics(ids: string[]): Promise<AnalyticsResult> {
  const q = `query($ids: [ID!]) { networkAnalytics(nodeIds: $ids) { nodeCount edgeCount communityCount modularity maxCore betweennessPivots json } }`
  return (await gql<{ networkAnalytics: AnalyticsResult }>(q, { ids })).networkAnalytics
}

export type ExportFormat = 'PNG' | 'SVG' | 'GRAPHML' | 'GEXF' | 'CSV'

/** Audit an export on the server (format and size) before the file is offered; throws when refused. */
export async function recordExport(format: ExportFormat, nodeCount: number, edgeCount: number, start: string | null): Promise<{ seq: number; time: string }> {
  const q = `mutation($format: ExportFormat!, $nodes: Int!, $edges: Int!, $start: String) {
    recordExport(format: $format, nodeCount: $nodes, edgeCount: $edges, start: $start) { seq time } }`
  return (await gql<{ recordExport: { seq: number; time: string } }>(q, { format, nodes: nodeCount, edges: edgeCount, start })).recordExport
}
