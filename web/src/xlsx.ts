// Tables to XLSX in the browser (write-excel-file, bundled): one sheet, Chinese headers, numbers as numbers.
//
//   await downloadXlsx('四种形态_按地区.xlsx', '按地区', ['地区', '第一种形态'], [['兰州市', 12]])
import writeXlsxFile from 'write-excel-file/universal'

export type CellValue = string | number | null

export function sheetData(headers: string[], rows: CellValue[][]) {
  return [
    headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
    ...rows.map((row) => row.map((v) => (v === null || v === undefined ? null : { value: v }))),
  ]
}

export async function downloadXlsx(fileName: string, sheet: string, headers: string[], rows: CellValue[][]) {
  const blob = await writeXlsxFile(sheetData(headers, rows) as never, {
    sheet: sheet.slice(0, 31),
    columns: headers.map((h) => ({ width: Math.max(10, Math.min(40, h.length * 2 + 4)) })),
  }).toBlob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
