// The dossier's Gantt: one lane per post, then lanes for study, 述法, assessments, issues, cases and
// measures; intervals as bars, dated events as short marks; a red line at the chosen date.
import { FORM_COLOR } from './labels'
import { addDays } from './dates'

export interface Bar {
  lane: string
  start: string
  end: string | null // null: still running (drawn to `until`)
  text: string
  color: string
  point?: boolean
  dashed?: boolean
}

const day = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10))

export function ganttOption(lanes: string[], bars: Bar[], marker: string, until: string): Record<string, unknown> {
  const data = bars.map((b) => ({
    value: [lanes.indexOf(b.lane), day(b.start), day(b.end ?? until), b.point ? 1 : 0],
    name: b.text,
    itemStyle: { color: b.color, opacity: b.dashed ? 0.55 : 0.9 },
  }))
  const starts = bars.map((b) => day(b.start))
  const min = starts.length ? Math.min(...starts) : day(addDays(marker, -365))
  return {
    aria: { enabled: true },
    animation: false,
    grid: { left: 210, right: 24, top: 16, bottom: 44 },
    tooltip: { formatter: (p: { name: string }) => p.name, confine: true },
    xAxis: {
      type: 'time', min: min - 30 * 86400000, max: Math.max(day(until), day(marker)) + 30 * 86400000,
      axisLabel: { formatter: '{yyyy}-{MM}', color: '#303133' }, splitLine: { show: true, lineStyle: { color: '#eef0f4' } },
    },
    yAxis: {
      type: 'category', data: lanes, inverse: true,
      axisLabel: { width: 196, overflow: 'truncate', color: '#303133', fontSize: 12 }, axisTick: { show: false },
    },
    series: [
      {
        type: 'custom',
        encode: { x: [1, 2], y: 0 },
        data,
        renderItem: (params: unknown, api: {
          value: (i: number) => number
          coord: (v: number[]) => number[]
          size: (v: number[]) => number[]
          style: () => Record<string, unknown>
        }) => {
          const lane = api.value(0)
          const a = api.coord([api.value(1), lane])
          const b = api.coord([api.value(2), lane])
          const h = api.size([0, 1])[1] * 0.56
          const point = api.value(3) === 1
          const width = point ? 6 : Math.max(3, b[0] - a[0])
          return { type: 'rect', shape: { x: point ? a[0] - 3 : a[0], y: a[1] - h / 2, width, height: h, r: 2 }, style: api.style() }
        },
        markLine: {
          symbol: 'none', silent: true, label: { formatter: marker, color: '#b42323', position: 'start' },
          lineStyle: { color: '#b42323', type: 'solid', width: 1.5 },
          data: [{ xAxis: day(marker) }],
        },
      },
    ],
  }
}

export const formColor = (form: number) => FORM_COLOR[form] ?? '#909399'
