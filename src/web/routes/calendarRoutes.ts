import { type Request, type Response, Router } from 'express'
import { NotFoundError, type FieldError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { parseCalendarForm } from '../forms/disputeForms.js'
import { isRealIsoDate } from '../forms/validation.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { adjustmentRows, bankHolidayRows } from '../presenters/disputePresenter.js'
import { formatDate } from '../../text/format.js'
import { renderForm, submitForm } from './formHandling.js'

type Body = Record<string, unknown>

/** The working-day calendar: an administrator adds a local closure or reopens a bank holiday, and removes one. */
export function calendarRoutes(services: Services): Router {
  const router = Router()
  const { calendar } = services

  async function page(res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const adjustments = await calendar.adjustments()
    const year = Number(calendar.today().slice(0, 4))
    const reopened = adjustments.filter(a => a.kind === 'open').map(a => a.day)
    const values = body ?? {}
    renderForm(
      res,
      'pages/calendar/index',
      {
        rows: adjustmentRows(adjustments),
        years: [year, year + 1].map(y => ({ year: y, rows: bankHolidayRows(y, reopened) })),
        values,
        day: {
          day: String(values['day-day'] ?? ''),
          month: String(values['day-month'] ?? ''),
          year: String(values['day-year'] ?? ''),
        },
        kinds: [
          {
            value: 'closed',
            text: 'Closed: a local closure',
            hint: { text: 'The office is closed on a weekday that is not a bank holiday' },
          },
          {
            value: 'open',
            text: 'Open: we work on this bank holiday',
            hint: { text: 'The day counts as a working day' },
          },
        ].map(k => ({ ...k, checked: values.kind === k.value })),
      },
      status,
      errors,
    )
  }

  router.get(paths.calendar.index(), requireAdmin, (_req, res) => page(res))

  router.post(paths.calendar.index(), requireAdmin, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Body
    const parsed = parseCalendarForm(body)
    if (!parsed.ok) return page(res, 400, parsed.errors, body)
    const { day, kind, note } = parsed.value
    await submitForm(
      (status, errors) => page(res, status, errors, body),
      async () => {
        await calendar.adjust(req.user!, day, kind, note)
        req.session.flash = `${formatDate(day)} ${kind === 'closed' ? 'added as a local closure' : 'reopened as a working day'}`
        res.redirect(303, paths.calendar.index())
      },
    )
  })

  router.post('/calendar/:day/remove', requireAdmin, async (req, res) => {
    const day = req.params.day as string
    if (!isRealIsoDate(day)) throw new NotFoundError()
    await calendar.removeAdjustment(req.user!, day as Parameters<typeof calendar.removeAdjustment>[1])
    req.session.flash = `${formatDate(day)} removed from the calendar changes`
    res.redirect(303, paths.calendar.index())
  })

  return router
}
