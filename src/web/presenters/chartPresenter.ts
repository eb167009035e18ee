// Server-rendered SVG bar charts (no JavaScript): one group of horizontal bars for each row of a
// report table, one bar for each charted column. The chart is an image with a title and a
// description; the same numbers are in the table next to it, which is what assistive technology reads.
// The SVG is written into the page, so its text is escaped as the page's is.

import { escapeHtml } from '../../text/html.js'

export interface ChartSeries {
  key: string
  label: string
}

export interface ChartInput {
  id: string
  title: string
  description: string
  series: ChartSeries[]
  groups: { label: string; values: (number | null)[] }[]
}

// GOV.UK Design System colours, in an order where neighbours differ in lightness as well as hue.
const palette = ['#1d70b8', '#f47738', '#00703c', '#d4351c', '#4c2c92', '#505a5f', '#b58840', '#28a197']

// Each group's label sits on its own line above its bars, across the whole width: long team and
// category names are shown whole (up to LABEL_CHARS), never cut at the left edge or run into the bars.
const WIDTH = 600
const VALUE_WIDTH = 60
const PLOT_WIDTH = WIDTH - VALUE_WIDTH
const LABEL_ROW = 20
const LABEL_CHARS = 68 // about what bold 14-point text fits across the width
const BAR = 14
const GAP = 4
const GROUP_GAP = 14
const LEGEND_ROW = 22

/** Cuts only a label too long for a whole line; the full label is in the table. */
function fit(label: string, max = LABEL_CHARS): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`
}

const formatValue = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))

export function barChartSvg(chart: ChartInput): string {
  const max = Math.max(1, ...chart.groups.flatMap(g => g.values.map(v => v ?? 0)))
  const legendHeight = chart.series.length > 1 ? chart.series.length * LEGEND_ROW + 8 : 0
  const groupHeight = LABEL_ROW + chart.series.length * (BAR + GAP) - GAP
  const plotHeight = chart.groups.length === 0 ? 30 : chart.groups.length * (groupHeight + GROUP_GAP)
  const height = legendHeight + plotHeight + 10
  const titleId = `${chart.id}-chart-title`
  const descId = `${chart.id}-chart-desc`
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" data-qa="chart-${escapeHtml(chart.id)}">`,
    `<title id="${titleId}">${escapeHtml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeHtml(`${chart.description} The same figures are in the table below the chart.`)}</desc>`,
  ]
  if (legendHeight > 0)
    chart.series.forEach((s, i) => {
      const y = i * LEGEND_ROW + 4
      parts.push(
        `<rect x="0" y="${y}" width="14" height="14" fill="${palette[i % palette.length]}"/>`,
        `<text x="20" y="${y + 12}" font-size="14" fill="#0b0c0c">${escapeHtml(s.label)}</text>`,
      )
    })
  if (chart.groups.length === 0)
    parts.push(
      `<text x="0" y="${legendHeight + 20}" font-size="14" fill="#0b0c0c">Nothing to show for this period.</text>`,
    )
  chart.groups.forEach((g, gi) => {
    const top = legendHeight + gi * (groupHeight + GROUP_GAP)
    parts.push(
      `<text x="0" y="${top + 14}" font-size="14" font-weight="bold" fill="#0b0c0c">${escapeHtml(fit(g.label))}</text>`,
    )
    g.values.forEach((v, si) => {
      const y = top + LABEL_ROW + si * (BAR + GAP)
      const w = v === null ? 0 : Math.max(v > 0 ? 2 : 0, Math.round((v / max) * PLOT_WIDTH))
      parts.push(
        `<rect x="0" y="${y}" width="${w}" height="${BAR}" fill="${palette[si % palette.length]}"/>`,
        `<text x="${w + 4}" y="${y + BAR - 2}" font-size="12" fill="#0b0c0c">${v === null ? '–' : formatValue(v)}</text>`,
      )
    })
  })
  parts.push('</svg>')
  return parts.join('')
}
