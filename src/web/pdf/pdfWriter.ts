import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

/**
 * Writes a plain A4 document (headings, paragraphs and key/value rows, as the print view shows them) to
 * a PDF with pdfkit. The text is tagged (headings, paragraphs, labelled rows), in a Unicode font, so that a
 * screen reader can read it and any child's name prints as written. Pure apart from reading the fonts.
 */

/** A row of a summary list: a key and its lines of text. */
export interface PdfRow {
  key: string
  lines: string[]
}

export type PdfBlock =
  | { type: 'caption'; text: string }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; bold?: boolean }
  | { type: 'rows'; rows: PdfRow[] }
  | { type: 'pageBreak' }

export interface PdfDocumentModel {
  /** The document's title, also shown by PDF readers in the window's title bar. */
  title: string
  /** Who produced it (the PDF's author). */
  author: string
  /** When it was produced, from the injectable clock. */
  producedAt: Date
  /** Written at the foot of every page, before "Page N of M". */
  footer: string
  blocks: PdfBlock[]
}

const require = createRequire(import.meta.url)
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
}

// A4 in points, with 2 cm margins; the key column of a summary list takes about a third of the width.
const MARGIN = 57
const FOOTER_GAP = 28
const KEY_WIDTH = 150
const COLUMN_GAP = 14
const TEXT = '#0b0c0c'
const SECONDARY = '#505a5f'
const RULE = '#b1b4b6'

const headingSizes = { 1: 20, 2: 15, 3: 12 } as const
const BODY_SIZE = 10

type Doc = InstanceType<typeof PDFDocument>
type StructElement = ReturnType<Doc['struct']>

export async function renderPdf(model: PdfDocumentModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_GAP, left: MARGIN, right: MARGIN },
    bufferPages: true,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: model.title,
      Author: model.author,
      Creator: 'Concord',
      Producer: 'Concord (pdfkit)',
      CreationDate: model.producedAt,
      ModDate: model.producedAt,
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  doc.registerFont('regular', FONTS.regular)
  doc.registerFont('bold', FONTS.bold)
  doc.font('regular').fontSize(BODY_SIZE).fillColor(TEXT)

  const root = doc.struct('Document')
  doc.addStructure(root)
  const width = doc.page.width - MARGIN * 2
  const bottom = () => doc.page.height - doc.page.margins.bottom

  /** Starts a new page unless `height` points still fit on this one. */
  const keepTogether = (height: number) => {
    if (doc.y + height > bottom() && doc.y > doc.page.margins.top) doc.addPage()
  }

  /** Text at the left margin, full width, inside one structure element of its own. */
  const write = (type: string, text: string, font: 'regular' | 'bold', size: number, colour = TEXT, gap = 6) => {
    doc.font(font).fontSize(size)
    const element: StructElement = doc.struct(type, {}, () => {
      doc.fillColor(colour).text(text, MARGIN, doc.y, { width, paragraphGap: gap, lineGap: 1.5 })
    })
    root.add(element)
    doc.fillColor(TEXT)
  }

  const rows = (list: PdfRow[]) => {
    const valueX = MARGIN + KEY_WIDTH + COLUMN_GAP
    const valueWidth = width - KEY_WIDTH - COLUMN_GAP
    const table = doc.struct('L')
    root.add(table)
    for (const row of list) {
      const lines = row.lines.filter(l => l !== '')
      const value = lines.length ? lines.join('\n') : ' '
      doc.font('bold').fontSize(BODY_SIZE)
      const keyHeight = doc.heightOfString(row.key, { width: KEY_WIDTH, lineGap: 1.5 })
      doc.font('regular')
      const valueHeight = doc.heightOfString(value, { width: valueWidth, lineGap: 1.5, paragraphGap: 3 })
      // A row that fits on a page is never split; a longer one flows on from a fresh page.
      keepTogether(Math.min(Math.max(keyHeight, valueHeight), bottom() - doc.page.margins.top))
      const top = doc.y
      const startPage = pageIndex(doc)
      const item = doc.struct('LI')
      table.add(item)
      item.add(
        doc.struct('Lbl', {}, () => {
          doc.font('bold').text(row.key, MARGIN, top, { width: KEY_WIDTH, lineGap: 1.5 })
        }),
      )
      item.add(
        doc.struct('LBody', {}, () => {
          doc.font('regular').text(value, valueX, top, { width: valueWidth, lineGap: 1.5, paragraphGap: 3 })
        }),
      )
      item.end()
      // On the same page, the row ends below the taller of its two columns.
      const end = pageIndex(doc) === startPage ? Math.max(doc.y, top + keyHeight) : doc.y
      doc
        .moveTo(MARGIN, end + 4)
        .lineTo(MARGIN + width, end + 4)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke()
      doc.x = MARGIN
      doc.y = end + 9
    }
    table.end()
    doc.moveDown(0.5)
  }

  for (const block of model.blocks) {
    switch (block.type) {
      case 'caption':
        write('P', block.text, 'regular', 12, SECONDARY, 2)
        break
      case 'heading': {
        const size = headingSizes[block.level]
        // A heading is not left alone at the foot of a page: it keeps a few lines of what follows.
        doc.font('bold').fontSize(size)
        keepTogether(doc.heightOfString(block.text, { width }) + 4 * BODY_SIZE * 1.5)
        if (block.level > 1 && doc.y > doc.page.margins.top) doc.moveDown(block.level === 2 ? 0.6 : 0.3)
        write(`H${block.level}`, block.text, 'bold', size, TEXT, block.level === 1 ? 10 : 6)
        break
      }
      case 'paragraph':
        write('P', block.text, block.bold ? 'bold' : 'regular', BODY_SIZE)
        break
      case 'rows':
        rows(block.rows)
        break
      case 'pageBreak':
        if (doc.y > doc.page.margins.top) doc.addPage()
        break
    }
  }
  root.end()

  // The footer on every page: what the document is and "Page N of M", marked as pagination, not content.
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const { bottom: marginBottom } = doc.page.margins
    doc.page.margins.bottom = 0
    const y = doc.page.height - MARGIN - 4
    doc.markContent('Artifact', { type: 'Pagination' })
    doc
      .moveTo(MARGIN, y - 6)
      .lineTo(doc.page.width - MARGIN, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke()
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(SECONDARY)
      .text(`${model.footer}  ·  Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, {
        width,
        lineBreak: false,
      })
    doc.endMarkedContent()
    doc.page.margins.bottom = marginBottom
  }
  doc.end()
  return finished
}

function pageIndex(doc: Doc): number {
  const range = doc.bufferedPageRange()
  return range.start + range.count - 1
}
