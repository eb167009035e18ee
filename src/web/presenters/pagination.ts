export const PAGE_SIZE = 25

export interface PageRequest {
  page: number
  limit: number
  offset: number
}

export function pageRequest(raw: unknown, size = PAGE_SIZE): PageRequest {
  const n = Number(raw)
  const page = Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1
  return { page, limit: size, offset: (page - 1) * size }
}

/**
 * The last page's number when `page` is past it (an old bookmark, or a list that has shrunk since its
 * link was followed), so the route can send the reader there instead of an empty page under a count.
 */
export function pastLastPage(page: number, total: number, size = PAGE_SIZE): number | undefined {
  const last = lastPage(total, size)
  return page > last ? last : undefined
}

/** The number of the last page: 1 for an empty list, which still shows its page. */
const lastPage = (total: number, size: number) => Math.max(1, Math.ceil(total / size))

/** Parameters for govukPagination: previous, next and a window of page numbers with ellipses. */
export function paginationParams(page: number, total: number, href: (page: number) => string, size = PAGE_SIZE) {
  const pages = lastPage(total, size)
  if (pages <= 1) return undefined
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  let last = 0
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) {
      if (p - last > 1) items.push({ ellipsis: true })
      items.push({ number: p, href: href(p), current: p === page })
      last = p
    }
  }
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items,
    // For the page title (the layout's): each page of a list is told apart where tabs and history list it.
    pageOf: page <= pages ? { page, pages } : undefined,
  }
}

export function resultsSummary(
  page: number,
  total: number,
  size = PAGE_SIZE,
): { from: number; to: number; total: number } {
  if (total === 0) return { from: 0, to: 0, total }
  return { from: (page - 1) * size + 1, to: Math.min(page * size, total), total }
}
