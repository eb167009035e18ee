import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PdfText {
  pages: string[]
  /** Every page's text, joined; lines end with a newline. */
  text: string
  info: Record<string, unknown>
}

/** The text of a PDF, page by page, as a reader would copy it (pdf.js, the legacy build for Node). */
export async function pdfText(data: Buffer | Uint8Array): Promise<PdfText> {
  const pdf = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n)
      const content = await page.getTextContent()
      pages.push(content.items.map(item => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''))
    }
    const { info } = await pdf.getMetadata()
    return { pages, text: pages.join('\n'), info: info as Record<string, unknown> }
  } finally {
    await pdf.destroy()
  }
}

/** Text with its line breaks and runs of spaces made single spaces, to find phrases that wrapped. */
export const flat = (text: string) => text.replace(/\s+/g, ' ')
