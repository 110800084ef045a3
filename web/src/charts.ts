// Chart options for the statistics: four forms as stacked bars (by region), lines (by month), bars (by kind).
import { FORM, FORM_COLOR } from './labels'

export interface FormFigures { form1: number; form2: number; form3: number; form4: number }
const FORMS = [1, 2, 3, 4] as const
const key = (f: number) => `form${f}` as keyof FormFigures

export function formBars(names: string[], rows: FormFigures[]): Record<string, unknown> {
  return {
    aria: { enabled: true }, animation: false,
    tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 64 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 35 : 0, color: '#303133' } },
    yAxis: { type: 'value', name: '人次' },
    series: FORMS.map((f) => ({ name: FORM[f], type: 'bar', stack: 'forms', barMaxWidth: 48, itemStyle: { color: FORM_COLOR[f] }, data: rows.map((r) => r[key(f)]) })),
  }
}

export function formLines(months: string[], rows: FormFigures[]): Record<string, unknown> {
  return {
    aria: { enabled: true }, animation: false,
    tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: months, axisLabel: { color: '#303133' } },
    yAxis: { type: 'value', name: '人次' },
    series: FORMS.map((f) => ({ name: FORM[f], type: 'line', itemStyle: { color: FORM_COLOR[f] }, data: rows.map((r) => r[key(f)]) })),
  }
}

export function kindBars(names: string[], counts: number[], forms: number[]): Record<string, unknown> {
  return {
    aria: { enabled: true }, animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 110, right: 48, top: 8, bottom: 24 },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: '#303133' } },
    xAxis: { type: 'value', name: '人次' },
    series: [{ type: 'bar', data: counts.map((v, i) => ({ value: v, itemStyle: { color: FORM_COLOR[forms[i]] } })), label: { show: true, position: 'right' } }],
  }
}
