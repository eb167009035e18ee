import { z } from 'zod'
import { channels } from '../domain/policies/policy.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { meetingAgenda, meetingOutcomes } from '../web/forms/disputeForms.js'
import { isRealIsoDate } from '../web/forms/validation.js'

const m = errorMessages.dispute

const text = (max: number, messages: { required: string; tooLong: string }) =>
  z
    .string({ error: messages.required })
    .trim()
    .min(1, { error: messages.required })
    .max(max, { error: messages.tooLong })
const isoDate = (message: string) => z.string({ error: message }).refine(isRealIsoDate, { error: message })
const id = z.number().int().positive()

/** JSON bodies of the dispute API; the same catalogue messages as the forms. */
export const raiseSchema = z.object({
  childIds: z.array(id, { error: m.childIds.required }).min(1, { error: m.childIds.required }).max(10),
  policyId: z.string({ error: m.policyId.required }).min(1, { error: m.policyId.required }),
  categoryKey: z.string({ error: m.categoryKey.required }).min(1, { error: m.categoryKey.required }),
  concern: text(5000, m.concern),
  impact: text(5000, m.impact),
  wishesAndFeelings: z.string().trim().max(5000, { error: m.wishesAndFeelings.tooLong }).default(''),
  recommendedResolution: text(5000, m.recommendedResolution),
  resolutionTimescale: text(200, m.resolutionTimescale),
  becameAwareOn: isoDate(m.becameAwareOn.invalid),
  startStageKey: z.string({ error: m.startStageKey.required }).min(1, { error: m.startStageKey.required }),
  agreedDueOn: isoDate(m.agreedDueOn.invalid).optional(),
  preApproval: z
    .object({ byPersonId: id, on: isoDate(m.preApprovedOn.invalid), note: z.string().max(2000).default('') })
    .optional(),
})

const actionSchema = z.object({
  what: text(1000, { required: m.actions.what, tooLong: m.actions.what }),
  ownerId: id.or(z.undefined()).refine((v): v is number => v !== undefined, { error: m.actions.owner }),
  dueOn: isoDate(m.actions.dueOn),
})

export const commandSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('respond'),
      comments: text(5000, m.comments),
      actions: z.array(actionSchema).min(1, { error: m.actions.required }).max(20),
    }),
    z.object({
      type: z.literal('decide_resolved'),
      comments: text(5000, m.comments),
      resolvedOn: isoDate(m.resolvedOn.invalid).optional(),
    }),
    z.object({
      type: z.literal('decide_not_resolved'),
      comments: text(5000, m.comments),
      // Refused, not dropped, as on the form: whoever sent a date would think it kept.
      resolvedOn: z.never({ error: m.resolvedOn.notResolved }).optional(),
    }),
    z.object({ type: z.literal('agree_extension'), note: text(5000, m.comments) }),
    z.object({
      type: z.literal('escalate'),
      toStageKey: z.string({ error: m.toStageKey.required }).min(1, { error: m.toStageKey.required }),
      reason: text(5000, m.reason),
      agreedDueOn: isoDate(m.agreedDueOn.invalid).optional(),
      preApproval: z
        .object({ byPersonId: id, on: isoDate(m.preApprovedOn.invalid), note: z.string().max(2000).default('') })
        .optional(),
    }),
    z.object({ type: z.literal('approve'), note: z.string().trim().max(2000).default('') }),
    z.object({ type: z.literal('decline'), reason: text(5000, m.declineReason) }),
    z.object({ type: z.literal('withdraw_request'), reason: text(5000, m.withdrawReason) }),
    z.object({
      type: z.literal('record_outcome'),
      text: text(5000, m.text),
      resolved: z.boolean({ error: m.decision.required }),
    }),
    z.object({ type: z.literal('complete_action'), actionId: id, evidence: text(2000, m.evidence) }),
    z.object({ type: z.literal('refer_cafcass'), reasons: text(5000, m.cafcassReasons) }),
    z.object({ type: z.literal('record_legal_advice'), note: text(5000, m.text) }),
    z.object({ type: z.literal('finalise') }),
    z.object({ type: z.literal('add_addendum'), text: text(5000, m.text) }),
  ],
  { error: 'Send a command type from the list in the API description' },
)

export const commandRequestSchema = z.object({
  version: z.number({ error: m.version.required }).int().positive({ error: m.version.required }),
  command: commandSchema,
})

const meetingNote = z.string({ error: m.meeting.tooLong }).trim().max(5000, { error: m.meeting.tooLong }).default('')
/** A meeting's notes: seed 003's agenda headings (as the form's fields), the outcome's detail, and the outcome. */
const meetingSchema = z.strictObject(
  {
    ...Object.fromEntries([...meetingAgenda, { key: 'outcomeDetail' }].map(({ key }) => [key, meetingNote])),
    outcome: z.enum(
      meetingOutcomes.map(o => o.value),
      { error: m.meeting.outcome },
    ),
  },
  { error: m.meeting.headings },
)

export const discussionSchema = z
  .object({
    channel: z.enum(channels, { error: m.channel.required }),
    heldOn: isoDate(m.heldOn.invalid),
    participants: text(500, m.participants),
    summary: text(5000, m.summary),
    meeting: meetingSchema.nullable().default(null),
  })
  // As the form: a meeting has its notes and outcome, and a call or a conversation has none.
  .superRefine((v, ctx) => {
    if (v.channel === 'meeting' && v.meeting === null)
      ctx.addIssue({ code: 'custom', path: ['meeting', 'outcome'], message: m.meeting.outcome })
    if (v.channel !== 'meeting' && v.meeting !== null)
      ctx.addIssue({ code: 'custom', path: ['meeting'], message: m.meeting.notAMeeting })
  })
