import { z } from 'zod'
import type { IsoDate } from '../../domain/calendar/workingDays.js'
import { compareIsoDates } from '../../domain/calendar/isoDate.js'
import type { ActionInput, Command } from '../../domain/dispute/stateMachine.js'
import { channels, type Channel } from '../../domain/policies/policy.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { FieldError } from '../../services/errors.js'
import {
  dateFromParts,
  dateProblem,
  isRealIsoDate,
  optionalId,
  optionalIsoDate,
  optionalText,
  type Parsed,
  parseWith,
  requiredIsoDate,
  requiredText,
} from './validation.js'

const m = errorMessages.dispute

/** How many rows the SMART action plan form offers; blank rows are ignored. */
export const ACTION_ROWS = 5

type Body = Record<string, unknown>

const versionField = z.coerce
  .number({ error: m.version.required })
  .int({ error: m.version.required })
  .positive({ error: m.version.required })

/** A choice from radios: missing or empty is `required`. */
const choice = (required: string) => z.string({ error: required }).trim().min(1, { error: required })

const asIso = (v: string) => v as IsoDate
const refusals = m.refusals as Record<string, string | undefined>

/** Runs the schema and any further checks, and reports every error at once. */
function combine<T>(parsed: Parsed<T>, more: FieldError[], pageOrder?: readonly string[]): Parsed<T> {
  if (parsed.ok) return more.length ? { ok: false, errors: more } : parsed
  const seen = new Set(parsed.errors.map(e => e.field))
  const errors = [...parsed.errors, ...more.filter(e => !seen.has(e.field))]
  // The error summary lists the errors in the order the fields come on the page (any other field last).
  const at = (field: string) => (pageOrder?.includes(field) ? pageOrder.indexOf(field) : pageOrder!.length)
  if (pageOrder) errors.sort((a, b) => at(a.field) - at(b.field))
  return { ok: false, errors }
}

/**
 * "Who agreed" and "when" for a stage that needs pre-approval: both or neither. The date input posts
 * three fields; the person is chosen from a select.
 */
function preApprovalFrom(body: Body): {
  errors: FieldError[]
  value?: { byPersonId: number; on: IsoDate; note: string }
} {
  const by = optionalId(m.preApprovedBy.unknown).safeParse(body.preApprovedBy)
  const on = optionalIsoDate(m.preApprovedOn.invalid).safeParse(dateFromParts(body, 'preApprovedOn'))
  const note = optionalText(2000, m.preApprovalNote.tooLong).safeParse(body.preApprovalNote)
  const errors: FieldError[] = []
  if (!by.success) errors.push({ field: 'preApprovedBy', message: m.preApprovedBy.unknown })
  if (!on.success) errors.push({ field: 'preApprovedOn', message: on.error.issues[0]!.message })
  if (!note.success) errors.push({ field: 'preApprovalNote', message: m.preApprovalNote.tooLong })
  if (errors.length) return { errors }
  const [person, date] = [by.data ?? null, on.data ?? null]
  if (person === null && date === null) return { errors }
  if (person === null) return { errors: [{ field: 'preApprovedBy', message: m.preApprovedBy.required }] }
  if (date === null) return { errors: [{ field: 'preApprovedOn', message: m.preApprovedOn.required }] }
  return { errors, value: { byPersonId: person, on: asIso(date), note: note.data ?? '' } }
}

/** Checkboxes post nothing, one value, or several. */
function idList(raw: unknown): number[] | undefined {
  const values = raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw]
  const ids = values.map(v => Number(v))
  if (ids.some(n => !Number.isSafeInteger(n) || n <= 0)) return undefined
  return [...new Set(ids)]
}

// ---- Raising a dispute ----------------------------------------------------------------------------------

const raiseSchema = z.object({
  policyId: choice(m.policyId.required),
  categoryKey: choice(m.categoryKey.required),
  concern: requiredText(5000, m.concern),
  impact: requiredText(5000, m.impact),
  wishesAndFeelings: optionalText(5000, m.wishesAndFeelings.tooLong),
  recommendedResolution: requiredText(5000, m.recommendedResolution),
  resolutionTimescale: requiredText(200, m.resolutionTimescale),
  becameAwareOn: requiredIsoDate(m.becameAwareOn.required, m.becameAwareOn.invalid),
  startStageKey: choice(m.startStageKey.required),
  agreedDueOn: optionalIsoDate(m.agreedDueOn.invalid),
})

/** The raise form's fields in the order the page shows them, for the error summary. */
const RAISE_FIELD_ORDER = [
  'policyId',
  'categoryKey',
  'concern',
  'impact',
  'wishesAndFeelings',
  'recommendedResolution',
  'resolutionTimescale',
  'becameAwareOn',
  'startStageKey',
  'agreedDueOn',
  'preApprovedBy',
  'preApprovedOn',
  'preApprovalNote',
  'siblingIds',
] as const

export interface RaiseFormValue {
  policyId: string
  categoryKey: string
  concern: string
  impact: string
  wishesAndFeelings: string
  recommendedResolution: string
  resolutionTimescale: string
  becameAwareOn: IsoDate
  startStageKey: string
  agreedDueOn?: IsoDate
  preApproval?: { byPersonId: number; on: IsoDate; note: string }
  /** The child's siblings to raise for as well (one linked record each). */
  siblingIds: number[]
}

/** The policy chosen on the first step (a GET form: `?policy=`). */
export function parsePolicyChoice(raw: unknown, allowed: readonly string[]): Parsed<string> {
  if (typeof raw !== 'string' || raw.trim() === '')
    return { ok: false, errors: [{ field: 'policy', message: m.policyId.required }] }
  if (!allowed.includes(raw)) return { ok: false, errors: [{ field: 'policy', message: m.policyId.unknown }] }
  return { ok: true, value: raw }
}

/** What is wrong with the agreed date for the chosen stage, if anything: the policy's rule (agreedDateRefusal). */
export type AgreedDateCheck = (stageKey: string, agreedDueOn: IsoDate | undefined) => string | undefined

/**
 * What the chosen stage makes of the agreed date, as an error to show with a form's other errors; called
 * only when there are others, since alone the service refuses it (422, as from the API).
 */
function agreedDateErrors(body: Body, stageKey: unknown, agreedDate: AgreedDateCheck | undefined): FieldError[] {
  const agreed = dateFromParts(body, 'agreedDueOn')
  if (!agreedDate || typeof stageKey !== 'string' || !stageKey) return []
  if (agreed !== '' && !isRealIsoDate(agreed)) return [] // its own error says so
  const refusal = agreedDate(stageKey, agreed === '' ? undefined : asIso(agreed))
  return refusal ? [{ field: 'agreedDueOn', message: refusals[refusal] ?? m.agreedDueOn.invalid }] : []
}

export function parseRaiseForm(body: Body, today?: IsoDate, agreedDate?: AgreedDateCheck): Parsed<RaiseFormValue> {
  const aware = dateFromParts(body, 'becameAwareOn')
  const parsed = parseWith(raiseSchema, {
    ...body,
    becameAwareOn: aware,
    agreedDueOn: dateFromParts(body, 'agreedDueOn'),
  })
  const pre = preApprovalFrom(body)
  const siblingIds = idList(body.siblingIds)
  const more = [...pre.errors]
  // With the other errors, not on a second round after they are put right; the service checks it too.
  if (today && isRealIsoDate(aware) && compareIsoDates(asIso(aware), today) > 0)
    more.push({ field: 'becameAwareOn', message: m.becameAwareOn.future })
  if (siblingIds === undefined) more.push({ field: 'siblingIds', message: m.siblingIds.unknown })
  if (!parsed.ok || more.length > 0) more.push(...agreedDateErrors(body, body.startStageKey, agreedDate))
  const all = combine(parsed, more, RAISE_FIELD_ORDER)
  if (!all.ok || !parsed.ok) return all as Parsed<RaiseFormValue>
  const v = parsed.value
  return {
    ok: true,
    value: {
      policyId: v.policyId,
      categoryKey: v.categoryKey,
      concern: v.concern,
      impact: v.impact,
      wishesAndFeelings: v.wishesAndFeelings ?? '',
      recommendedResolution: v.recommendedResolution,
      resolutionTimescale: v.resolutionTimescale,
      becameAwareOn: asIso(v.becameAwareOn),
      startStageKey: v.startStageKey,
      ...(v.agreedDueOn ? { agreedDueOn: asIso(v.agreedDueOn) } : {}),
      ...(pre.value ? { preApproval: pre.value } : {}),
      siblingIds: siblingIds ?? [],
    },
  }
}

// ---- Steps on a record: each form gives the version it read and one command ------------------------------

export interface CommandForm<C extends Command = Command> {
  version: number
  command: C
}

type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>

/** The field names of one row of the SMART action plan. */
export const actionRowFields = (row: number) => ({
  what: `actions-${row}-what`,
  ownerId: `actions-${row}-ownerId`,
  dueOn: `actions-${row}-dueOn`,
})

/**
 * The response: comments and a SMART action plan. Blank rows are ignored, at least one complete row is
 * needed, and a partly filled row is an error that names the row.
 */
export function parseRespondForm(body: Body, today?: IsoDate): Parsed<CommandForm<CommandOf<'respond'>>> {
  const parsed = parseWith(z.object({ version: versionField, comments: requiredText(5000, m.comments) }), body)
  const errors: FieldError[] = []
  const actions: ActionInput[] = []
  for (let row = 1; row <= ACTION_ROWS; row++) {
    const f = actionRowFields(row)
    const what = String(body[f.what] ?? '').trim()
    const owner = String(body[f.ownerId] ?? '').trim()
    const due = dateFromParts(body, f.dueOn)
    if (!what && !owner && !due) continue
    if (!what) errors.push({ field: f.what, message: m.actionRow.what(row) })
    else if (what.length > 1000) errors.push({ field: f.what, message: m.actionRow.whatTooLong(row) })
    const ownerId = Number(owner)
    if (!owner || !Number.isSafeInteger(ownerId) || ownerId <= 0)
      errors.push({ field: f.ownerId, message: m.actionRow.ownerId(row) })
    if (!due) errors.push({ field: f.dueOn, message: m.actionRow.dueOn(row) })
    else if (!isRealIsoDate(due))
      errors.push({ field: f.dueOn, message: dateProblem(due, m.actionRow.dueOnInvalid(row)) })
    // Named and linked to its row here; the record refuses a past date too, but only for the plan as a whole.
    else if (today && compareIsoDates(asIso(due), today) < 0)
      errors.push({ field: f.dueOn, message: m.actionRow.dueOnPast(row) })
    if (errors.length === 0) actions.push({ what, ownerId, dueOn: asIso(due) })
  }
  // On the first row's first field, so the error summary's link puts the cursor where to start.
  if (errors.length === 0 && actions.length === 0)
    errors.push({ field: actionRowFields(1).what, message: m.actions.required })
  const all = combine(parsed, errors)
  if (!all.ok || !parsed.ok) return all as Parsed<CommandForm<CommandOf<'respond'>>>
  return {
    ok: true,
    value: { version: parsed.value.version, command: { type: 'respond', comments: parsed.value.comments, actions } },
  }
}

export function parseDecideForm(
  body: Body,
): Parsed<CommandForm<CommandOf<'decide_resolved'> | CommandOf<'decide_not_resolved'>>> {
  const parsed = parseWith(
    z.object({
      version: versionField,
      decision: z.enum(['resolved', 'not_resolved'], { error: m.decision.required }),
      comments: requiredText(5000, m.comments),
      resolvedOn: optionalIsoDate(m.resolvedOn.invalid),
    }),
    { ...body, resolvedOn: dateFromParts(body, 'resolvedOn') },
  )
  const notResolvedWithDate =
    body.decision === 'not_resolved' && dateFromParts(body, 'resolvedOn') !== ''
      ? [{ field: 'resolvedOn', message: m.resolvedOn.notResolved }]
      : []
  const all = combine(parsed, notResolvedWithDate, ['decision', 'resolvedOn', 'comments'])
  if (!all.ok || !parsed.ok) return all as Parsed<CommandForm<CommandOf<'decide_resolved'>>>
  const { version, decision, comments, resolvedOn } = parsed.value
  return {
    ok: true,
    value: {
      version,
      command:
        decision === 'resolved'
          ? { type: 'decide_resolved', comments, ...(resolvedOn ? { resolvedOn: asIso(resolvedOn) } : {}) }
          : { type: 'decide_not_resolved', comments },
    },
  }
}

/** A form of one text field that becomes one command. */
function textCommand<C extends Command, K extends string>(
  field: K,
  schema: z.ZodType<string | null>,
  build: (text: string) => C,
) {
  return (body: Body): Parsed<CommandForm<C>> => {
    const parsed = parseWith(z.object({ version: versionField, [field]: schema }), body)
    if (!parsed.ok) return parsed
    const value = parsed.value as { version: number } & Record<K, string | null>
    return { ok: true, value: { version: value.version, command: build(value[field] ?? '') } }
  }
}

export const parseExtensionForm = textCommand(
  'note',
  requiredText(5000, m.extensionNote),
  (note): CommandOf<'agree_extension'> => ({ type: 'agree_extension', note }),
)

export const parseApproveForm = textCommand(
  'note',
  optionalText(2000, m.approvalNote.tooLong),
  (note): CommandOf<'approve'> => ({ type: 'approve', note }),
)

/** A step's form with the linked records (ticked checkboxes `alsoForIds`) it is to be taken for as well. */
export function withLinkedIds<T>(parsed: Parsed<T>, body: Body): Parsed<{ form: T; alsoForIds: number[] }> {
  const alsoForIds = idList(body.alsoForIds)
  const more = alsoForIds === undefined ? [{ field: 'alsoForIds', message: m.alsoForIds.unknown }] : []
  const all = combine(parsed, more)
  if (!all.ok || !parsed.ok) return all as Parsed<{ form: T; alsoForIds: number[] }>
  return { ok: true, value: { form: parsed.value, alsoForIds: alsoForIds ?? [] } }
}

export const parseDeclineForm = textCommand(
  'reason',
  requiredText(5000, m.declineReason),
  (reason): CommandOf<'decline'> => ({
    type: 'decline',
    reason,
  }),
)

export const parseWithdrawRequestForm = textCommand(
  'reason',
  requiredText(5000, m.withdrawReason),
  (reason): CommandOf<'withdraw_request'> => ({ type: 'withdraw_request', reason }),
)

export const parseCafcassForm = textCommand(
  'reasons',
  requiredText(5000, m.cafcassReasons),
  (reasons): CommandOf<'refer_cafcass'> => ({ type: 'refer_cafcass', reasons }),
)

export const parseLegalAdviceForm = textCommand(
  'note',
  requiredText(5000, m.legalAdvice),
  (note): CommandOf<'record_legal_advice'> => ({ type: 'record_legal_advice', note }),
)

export const parseAddendumForm = textCommand(
  'text',
  requiredText(5000, m.addendum),
  (text): CommandOf<'add_addendum'> => ({ type: 'add_addendum', text }),
)

export function parseFinaliseForm(body: Body): Parsed<CommandForm<CommandOf<'finalise'>>> {
  const parsed = parseWith(z.object({ version: versionField }), body)
  if (!parsed.ok) return parsed
  return { ok: true, value: { version: parsed.value.version, command: { type: 'finalise' } } }
}

export function parseCompleteActionForm(
  body: Body,
  actionId: number,
): Parsed<CommandForm<CommandOf<'complete_action'>>> {
  const parsed = parseWith(z.object({ version: versionField, evidence: requiredText(2000, m.evidence) }), body)
  if (!parsed.ok) return parsed
  return {
    ok: true,
    value: {
      version: parsed.value.version,
      command: { type: 'complete_action', actionId, evidence: parsed.value.evidence },
    },
  }
}

export function parseOutcomeForm(body: Body): Parsed<CommandForm<CommandOf<'record_outcome'>>> {
  const parsed = parseWith(
    z.object({
      version: versionField,
      text: requiredText(5000, m.outcomeText),
      resolved: z.enum(['yes', 'no'], { error: m.resolved.required }),
    }),
    body,
  )
  if (!parsed.ok) return parsed
  return {
    ok: true,
    value: {
      version: parsed.value.version,
      command: { type: 'record_outcome', text: parsed.value.text, resolved: parsed.value.resolved === 'yes' },
    },
  }
}

export function parseEscalateForm(
  body: Body,
  agreedDate?: AgreedDateCheck,
): Parsed<CommandForm<CommandOf<'escalate'>>> {
  const parsed = parseWith(
    z.object({
      version: versionField,
      toStageKey: choice(m.toStageKey.required),
      reason: requiredText(5000, m.reason),
      agreedDueOn: optionalIsoDate(m.agreedDueOn.invalid),
    }),
    { ...body, agreedDueOn: dateFromParts(body, 'agreedDueOn') },
  )
  const pre = preApprovalFrom(body)
  const more = [...pre.errors]
  if (!parsed.ok || more.length > 0) more.push(...agreedDateErrors(body, body.toStageKey, agreedDate))
  const all = combine(parsed, more, ['toStageKey', 'reason', 'agreedDueOn', 'preApprovedBy', 'preApprovedOn'])
  if (!all.ok || !parsed.ok) return all as Parsed<CommandForm<CommandOf<'escalate'>>>
  const v = parsed.value
  return {
    ok: true,
    value: {
      version: v.version,
      command: {
        type: 'escalate',
        toStageKey: v.toStageKey,
        reason: v.reason,
        ...(v.agreedDueOn ? { agreedDueOn: asIso(v.agreedDueOn) } : {}),
        ...(pre.value ? { preApproval: pre.value } : {}),
      },
    },
  }
}

// ---- Discussions --------------------------------------------------------------------------------------------

/** Seed 003, appendix 1: the agenda template for meetings held under the dispute resolution process. */
export const meetingAgenda = [
  { key: 'childDetails', label: 'Child’s details' },
  { key: 'meetingDetails', label: 'Meeting details', hint: 'Date, place and who attended' },
  { key: 'reasonForMeeting', label: 'Reason for meeting' },
  { key: 'views', label: 'Views of parties involved' },
  { key: 'actionsToDate', label: 'Actions taken to date' },
  { key: 'discussion', label: 'Discussion' },
] as const

export const meetingOutcomes = [
  { value: 'resolved', text: 'Dispute resolved' },
  { value: 'remains', text: 'Dispute remains' },
  { value: 'next_steps', text: 'Next steps (escalation, legal advice and so on)' },
] as const

export const meetingField = (key: string) => `meeting-${key}`

export interface DiscussionFormValue {
  channel: Channel
  heldOn: IsoDate
  participants: string
  summary: string
  meeting: Record<string, string> | null
}

export function parseDiscussionForm(body: Body): Parsed<DiscussionFormValue> {
  const parsed = parseWith(
    z.object({
      channel: z.enum(channels, { error: m.channel.required }),
      heldOn: requiredIsoDate(m.heldOn.required, m.heldOn.invalid),
      participants: requiredText(500, m.participants),
      summary: requiredText(5000, m.summary),
    }),
    { ...body, heldOn: dateFromParts(body, 'heldOn') },
  )
  const errors: FieldError[] = []
  let meeting: Record<string, string> | null = null
  if (body.channel === 'meeting') {
    meeting = {}
    for (const { key } of [...meetingAgenda, { key: 'outcomeDetail' }]) {
      const text = String(body[meetingField(key)] ?? '').trim()
      if (text.length > 5000) errors.push({ field: meetingField(key), message: m.meeting.tooLong })
      meeting[key] = text
    }
    const outcome = String(body[meetingField('outcome')] ?? '')
    if (!meetingOutcomes.some(o => o.value === outcome))
      errors.push({ field: meetingField('outcome'), message: m.meeting.outcome })
    meeting.outcome = outcome
  } else if (body.channel !== undefined && body.channel !== '') {
    // Notes written under the agenda for a call or an email would be lost: say so rather than drop them.
    const written = [...meetingAgenda, { key: 'outcome' }, { key: 'outcomeDetail' }]
      .map(({ key }) => meetingField(key))
      .find(field => String(body[field] ?? '').trim() !== '')
    if (written) errors.push({ field: written, message: m.meeting.notesWithoutMeeting })
  }
  const all = combine(parsed, errors)
  if (!all.ok || !parsed.ok) return all as Parsed<DiscussionFormValue>
  return { ok: true, value: { ...parsed.value, heldOn: asIso(parsed.value.heldOn), meeting } }
}

// ---- The working-day calendar ---------------------------------------------------------------------------------

const c = errorMessages.calendar

export interface CalendarFormValue {
  day: IsoDate
  kind: 'closed' | 'open'
  note: string
}

/** The calendar form's syntax; which days may be closed or reopened is the calendar service's rule. */
export function parseCalendarForm(body: Body): Parsed<CalendarFormValue> {
  const parsed = parseWith(
    z.object({
      day: requiredIsoDate(c.day.required, c.day.invalid),
      kind: z.enum(['closed', 'open'], { error: c.kind.required }),
      note: requiredText(200, c.note),
    }),
    { ...body, day: dateFromParts(body, 'day') },
  )
  if (!parsed.ok) return parsed
  return { ok: true, value: { ...parsed.value, day: asIso(parsed.value.day) } }
}
