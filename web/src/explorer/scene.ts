// The drawing: one Cytoscape.js instance (Canvas, no GPU needed), its rule-based style, and the
// operations the explorer view performs on it (add a subgraph, fold, dim by date, light, size by measure).
//
//   const scene = new Scene(container)
//   scene.add(nodes, edges); scene.layout()
//   scene.asOf('2023-02-15')                  // dims what was not valid that day; marks sanctions in effect
//   scene.light(['OFF-ZW'])                   // the principals in office when an issue occurred
//   scene.snapshot() / scene.restore(json)     // undo/redo and saved investigations
//
// Renderer: Canvas. Cytoscape's WebGL renderer (new Scene(el, { renderer: 'webgl' }): for bench/explorer.py
// --renderer and a trial on a PC with a GPU; the view never asks for it) was measured and is not used: in
// headless Chromium without a GPU, WebGL is SwiftShader (the CPU) and a 5,000-node frame took seconds
// against ~0.3 s on Canvas (bench/FIGURES.md, "Explorer frames (issue 14)").
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape'
import svg from 'cytoscape-svg'
import { FORM_COLOR } from '../labels'
import {
  KIND_COLOR, caseStatusOn, inEffectOn, kindLabel, nodeExistsOn, relLabel, validOn, type XEdge, type XNode,
} from './model'

cytoscape.use(svg)

export const COMMUNITY_COLORS = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
]
export const GROUP = '__group'

export interface GroupMember { node: XNode; edges: XEdge[] }

function nodeColor(n: XNode): string {
  if (n.kind === 'Measure' && n.form) return FORM_COLOR[n.form] ?? KIND_COLOR.Measure
  return KIND_COLOR[n.kind] ?? '#888'
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)', 'background-color': 'data(color)', width: 'data(size)', height: 'data(size)',
      'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#222', 'min-zoomed-font-size': 7,
      'text-max-width': '120px', 'text-wrap': 'ellipsis', 'border-width': 0,
    },
  },
  { selector: `node[kind = "${GROUP}"]`, style: { shape: 'round-rectangle', 'background-color': '#dfe4ea', 'border-width': 1, 'border-color': '#8c9bab', 'text-valign': 'center', 'text-margin-y': 0, width: 56, height: 26 } },
  { selector: 'node[kind = "Organisation"]', style: { shape: 'round-rectangle' } },
  { selector: 'node[kind = "Issue"]', style: { shape: 'diamond' } },
  { selector: 'node[kind = "Case"]', style: { shape: 'hexagon' } },
  { selector: 'node[kind = "Region"]', style: { shape: 'triangle' } },
  { selector: 'node.effect', style: { 'border-width': 4, 'border-color': '#b42323' } },
  // Case status (on the as-of day when one is chosen): in progress, or closed.
  { selector: 'node.case-open', style: { 'border-width': 4, 'border-color': '#e67e22', 'border-style': 'solid' } },
  { selector: 'node.case-closed', style: { 'border-width': 4, 'border-color': '#2e7d32', 'background-blacken': -0.35 } },
  { selector: 'node.lit', style: { 'border-width': 6, 'border-color': '#f0b400', 'font-weight': 'bold' } },
  { selector: 'node.superior', style: { 'border-width': 6, 'border-color': '#8e44ad', 'border-style': 'dashed', 'font-weight': 'bold' } },
  { selector: 'node:selected', style: { 'overlay-color': '#409eff', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 1.5, 'line-color': '#b8c2cc', 'target-arrow-color': '#b8c2cc', 'target-arrow-shape': 'triangle',
      'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#667', 'min-zoomed-font-size': 9,
      'text-rotation': 'autorotate',
    },
  },
  { selector: 'edge.path', style: { width: 4, 'line-color': '#e6a23c', 'target-arrow-color': '#e6a23c' } },
  // Large scenes (LARGE elements and more): straight one-pixel edges without labels or arrows, node labels
  // only once zoomed in (12 px on screen), no text wrapping to measure: pan and zoom stay fluid.
  {
    selector: 'edge.big',
    style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 1, label: '', 'target-arrow-shape': 'none' },
  },
  { selector: 'node.big', style: { 'min-zoomed-font-size': 12, 'text-wrap': 'none' } },
  { selector: 'edge.big.path', style: { width: 3 } },
  { selector: '.dim', style: { opacity: 0.15 } },
]
export const LARGE = 1500

/** The renderer's switch that Cytoscape reads on every frame (cy.renderer() is not in its typings). */
interface WithRenderer { renderer(): { hideEdgesOnViewport: boolean } }

export type Renderer = 'canvas' | 'webgl'

/** Whether this browser gives a WebGL2 context (Cytoscape's WebGL renderer throws without one). */
export function hasWebgl2(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2')
    gl?.getExtension('WEBGL_lose_context')?.loseContext()
    return gl !== null
  } catch {
    return false
  }
}

export class Scene {
  readonly cy: Core
  /** What draws: 'webgl' only when asked for and the browser has WebGL2, else 'canvas'. */
  readonly renderer: Renderer

  constructor(container: HTMLElement, options: { renderer?: Renderer } = {}) {
    this.renderer = options.renderer === 'webgl' && hasWebgl2() ? 'webgl' : 'canvas'
    // textureOnViewport: while the user pans or zooms, move a cached image of the scene instead of redrawing
    // it; pixelRatio 1: no 2× canvas on a high-density screen; no motion blur (an extra layer per frame).
    this.cy = cytoscape({
      container, style: STYLE, wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4, textureOnViewport: true,
      pixelRatio: 1, motionBlur: false, webgl: this.renderer === 'webgl',
    })
  }

  has(id: string): boolean { return this.cy.getElementById(id).nonempty() }

  /** Add nodes and relationships (ones already there are left as they are; edges need both ends drawn). */
  add(nodes: XNode[], edges: XEdge[], near?: string): void {
    const at = near ? this.cy.getElementById(near) : null
    const pos = at?.nonempty() ? at.position() : { x: 0, y: 0 }
    const els: ElementDefinition[] = []
    for (const n of nodes) {
      if (this.has(n.id)) continue
      els.push({
        group: 'nodes',
        data: { ...n, color: nodeColor(n), size: 26 },
        position: { x: pos.x + (Math.random() - 0.5) * 80, y: pos.y + (Math.random() - 0.5) * 80 },
      })
    }
    this.cy.add(els)
    const edgeEls: ElementDefinition[] = []
    for (const e of edges) {
      if (this.has(e.id) || !this.has(e.source) || !this.has(e.target)) continue
      edgeEls.push({ group: 'edges', data: { ...e, label: relLabel(e.type) } })
    }
    this.cy.add(edgeEls)
    this.tune()
  }

  /** Cheaper styles once the scene is large (and back when it shrinks); edges hidden while nodes are dragged. */
  tune(): void {
    const big = this.large()
    this.cy.batch(() => (big ? this.cy.elements().addClass('big') : this.cy.elements().removeClass('big')))
    // Only for large scenes: on a small one, edges vanishing while a node is dragged would look broken.
    ;(this.cy as unknown as WithRenderer).renderer().hideEdgesOnViewport = big
  }

  large(): boolean { return this.cy.elements().length >= LARGE }

  /** A group node standing for `members` (neighbours of `parent` folded away), with their count. */
  addGroup(parent: string, kindHint: string, members: GroupMember[]): void {
    const id = `${GROUP}:${parent}`
    const existing = this.cy.getElementById(id)
    const all = existing.nonempty() ? [...(existing.data('members') as GroupMember[]), ...members] : members
    existing.remove()
    if (!all.length) return
    const p = this.cy.getElementById(parent).position()
    this.cy.add([
      { group: 'nodes', data: { id, kind: GROUP, label: `+${all.length} 个${kindHint}`, parent_id: parent, members: all, color: '#dfe4ea', size: 26 }, position: { x: p.x + 60, y: p.y + 60 } },
      { group: 'edges', data: { id: `${id}|edge`, source: parent, target: id, type: GROUP, label: '折叠' } },
    ])
  }

  /** Take `limit` members out of a group (the rest stay folded). */
  openGroup(id: string, limit: number): GroupMember[] {
    const g = this.cy.getElementById(id)
    if (g.empty()) return []
    const members = g.data('members') as GroupMember[]
    const parent = String(g.data('parent_id'))
    const out = members.slice(0, limit)
    g.remove()
    this.cy.getElementById(`${id}|edge`).remove()
    if (members.length > limit) this.addGroup(parent, '', members.slice(limit))
    return out
  }

  nodes(): XNode[] {
    return this.cy.nodes().filter((n) => n.data('kind') !== GROUP).map((n) => this.xnode(n as NodeSingular))
  }

  edges(): XEdge[] {
    return this.cy.edges().filter((e) => e.data('type') !== GROUP).map((e) => {
      const d = e.data()
      return { id: d.id, type: d.type, source: d.source, target: d.target, properties: d.properties ?? null }
    })
  }

  xnode(n: NodeSingular): XNode {
    const d = n.data()
    return { id: d.id, kind: d.kind, label: d.label, first: d.first, form: d.form, effectiveOn: d.effectiveOn, periodEnd: d.periodEnd, deadline: d.deadline, closedOn: d.closedOn, status: d.status }
  }

  /** Details fetched after the node was drawn (dates, form): restyle it. */
  update(id: string, patch: Partial<XNode>): void {
    const n = this.cy.getElementById(id)
    if (n.empty()) return
    n.data(patch)
    n.data('color', nodeColor(this.xnode(n)))
  }

  layout(name: 'cose' | 'grid' | 'concentric' = this.cy.nodes().length > 400 ? 'grid' : 'cose'): void {
    this.cy.layout({ name, animate: false, fit: true, padding: 30 } as cytoscape.LayoutOptions).run()
  }

  /** Dim what was not valid on `day`; mark measures in effect and cases' status that day. Null: nothing
   *  dimmed, cases as recorded. */
  asOf(day: string | null): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass('dim effect case-open case-closed')
      this.cy.nodes('[kind = "Case"]').forEach((n) => { n.addClass(`case-${caseStatusOn(this.xnode(n), day)}`) })
      if (!day) return
      this.cy.nodes().forEach((n) => {
        if (n.data('kind') === GROUP) return
        const x = this.xnode(n)
        if (!nodeExistsOn(x, day) || (x.kind === 'Measure' && !inEffectOn(x, day))) n.addClass('dim')
        if (inEffectOn(x, day)) n.addClass('effect')
      })
      this.cy.edges().forEach((e) => {
        if (!validOn(e.data('properties') ?? null, day)) e.addClass('dim')
      })
    })
  }

  /** Light the principals in office when an issue occurred, and (another style) their superiors then. */
  light(ids: string[], superiors: string[] = []): void {
    this.cy.nodes().removeClass('lit superior')
    for (const id of superiors) this.cy.getElementById(id).addClass('superior')
    for (const id of ids) this.cy.getElementById(id).removeClass('superior').addClass('lit')
  }

  litIds(): string[] { return this.cy.nodes('.lit').map((n) => n.id()) }
  superiorIds(): string[] { return this.cy.nodes('.superior').map((n) => n.id()) }

  markPath(edgeIds: string[]): void {
    this.cy.edges().removeClass('path')
    for (const id of edgeIds) this.cy.getElementById(id).addClass('path')
  }

  /** Size by betweenness, colour by community (null: back to the kind colours). */
  measures(m: Record<string, { betweenness: number; community: number }> | null): void {
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        if (n.data('kind') === GROUP) return
        const v = m?.[n.id()]
        n.data('size', v ? 20 + Math.round(Math.sqrt(v.betweenness) * 60) : 26)
        n.data('color', v ? COMMUNITY_COLORS[v.community % COMMUNITY_COLORS.length] : nodeColor(this.xnode(n)))
        n.data('community', v ? v.community : null)
      })
    })
  }

  snapshot(): string {
    return JSON.stringify(this.cy.elements().jsons().map((j) => ({ group: j.group, data: j.data, position: j.position, classes: j.classes })))
  }

  restore(json: string): void {
    const els = JSON.parse(json) as ElementDefinition[]
    this.cy.batch(() => {
      this.cy.elements().remove()
      this.cy.add(els)
    })
    this.tune()
  }

  positions(): Record<string, { x: number; y: number }> {
    const out: Record<string, { x: number; y: number }> = {}
    this.cy.nodes().forEach((n) => { out[n.id()] = { ...n.position() } })
    return out
  }

  /** PNG of the whole graph at twice the scale, with the user and time written in the corner. */
  async png(watermark: string): Promise<Blob> {
    const blob = (await this.cy.png({ full: true, scale: 2, output: 'blob-promise', bg: '#ffffff' })) as Blob
    const img = await createImageBitmap(blob)
    const canvas = document.createElement('canvas')
    canvas.width = img.width
    canvas.height = img.height + 48
    const g = canvas.getContext('2d')
    if (!g) return blob
    g.fillStyle = '#fff'
    g.fillRect(0, 0, canvas.width, canvas.height)
    g.drawImage(img, 0, 0)
    g.fillStyle = 'rgba(90, 90, 90, 0.9)'
    g.font = '24px sans-serif'
    g.fillText(watermark, 16, img.height + 32)
    return await new Promise((resolve) => canvas.toBlob((b) => resolve(b ?? blob), 'image/png'))
  }

  svg(): string {
    return (this.cy as unknown as { svg: (o: object) => string }).svg({ full: true, scale: 1, bg: '#ffffff' })
  }
}

export { kindLabel }
