import { describe, expect, it } from 'vitest'
import { flat, pdfText } from '../../../test/helpers/pdfText.js'
import { type PdfBlock, renderPdf } from './pdfWriter.js'

const at = new Date('2023-01-16T09:00:00Z')

describe('the PDF writer', () => {
  it('writes headings, paragraphs and rows on A4 pages, with a footer numbering every page', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      key: `Row ${i + 1}`,
      lines: [`The value of row ${i + 1}, long enough to wrap onto a second line in the value column of the page.`],
    }))
    const blocks: PdfBlock[] = [
      { type: 'caption', text: 'Wessexshire County Council' },
      { type: 'heading', level: 1, text: 'Dispute record DRP-000001' },
      { type: 'paragraph', text: 'Łukasz Zoë Ó Súilleabháin’s plan — “as written”.' },
      { type: 'heading', level: 2, text: 'Many rows' },
      { type: 'rows', rows },
      { type: 'heading', level: 2, text: 'After the rows' },
      { type: 'paragraph', text: 'The end.', bold: true },
    ]
    const pdf = await renderPdf({
      title: 'A test',
      author: 'iro1 Fixture',
      producedAt: at,
      footer: 'Test footer',
      blocks,
    })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const { pages, text, info } = await pdfText(pdf)
    expect(pages.length).toBeGreaterThan(1)
    expect(info.Title).toBe('A test')
    expect(info.Author).toBe('iro1 Fixture')
    // Names print as written, whatever the alphabet.
    expect(text).toContain('Łukasz Zoë Ó Súilleabháin’s plan — “as written”.')
    for (const row of rows) expect(flat(text)).toContain(`${row.key} ${flat(row.lines[0]!)}`)
    pages.forEach((page, i) => expect(page).toContain(`Test footer · Page ${i + 1} of ${pages.length}`))
    expect(flat(pages.at(-1)!)).toContain('After the rows The end.')
  })

  it('is A4 and tagged for screen readers', async () => {
    const pdf = await renderPdf({
      title: 'Tagged',
      author: 'someone',
      producedAt: at,
      footer: 'f',
      blocks: [{ type: 'heading', level: 1, text: 'Heading' }],
    })
    const raw = pdf.toString('latin1')
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]')
    expect(raw).toMatch(/\/StructTreeRoot/)
    expect(raw).toMatch(/\/Marked true/)
    expect(raw).toMatch(/\/Lang \(en-GB\)/)
  })
})
