import { z } from 'zod'
import { childSchema, childUpdateSchema } from '../web/forms/childForm.js'
import { personSchema, personUpdateSchema } from '../web/forms/personForm.js'
import { unitSchema, unitUpdateSchema } from '../web/forms/unitForm.js'
import { commandRequestSchema, discussionSchema, raiseSchema } from './disputeSchemas.js'
import {
  concernApiSchema,
  noteApiSchema,
  reciprocalApiSchema,
  resolutionApiSchema,
} from '../web/forms/practiceNoteForms.js'
import {
  acknowledgeRequestSchema,
  checkRequestSchema,
  noticeRequestSchema,
  reviewHeldRequestSchema,
  reviewRequestSchema,
} from '../web/forms/qualityForms.js'
import { reportPaths } from './reportOpenApi.js'

const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...json } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return json
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const jsonBody = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } })
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
})
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } })
const pdf = (description: string) => ({
  description,
  content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
})
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
const listParams = [
  {
    name: 'q',
    in: 'query',
    schema: { type: 'string', maxLength: 100 },
    description: 'Search: start of a name or case ID',
  },
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
]
const supervisionParams = [
  { name: 'reviewerId', in: 'query', schema: { type: 'integer' } },
  { name: 'teamId', in: 'query', schema: { type: 'integer' } },
  { name: 'stage', in: 'query', schema: { type: 'string' } },
  {
    name: 'state',
    in: 'query',
    schema: {
      type: 'string',
      enum: [
        'response_overdue',
        'awaiting_response',
        'awaiting_decision',
        'not_resolved',
        'awaiting_pre_approval',
        'outside_system',
        'to_finalise',
      ],
    },
  },
]
const errors = {
  '400': problemResponse('Invalid input, with a message for each field'),
  '401': problemResponse('No valid API token'),
  '403': problemResponse('Your roles do not allow this'),
  '404': problemResponse('Not found, or not visible to you'),
  '409': problemResponse('Changed by someone else since you read it (send the current version)'),
}

function resource(plural: string, tag: string, create: string, update: string) {
  return {
    [`/api/${plural}`]: {
      get: {
        tags: [tag],
        summary: `List ${plural} you may see`,
        parameters: plural === 'teams' ? [] : listParams,
        responses: { '200': ok('A page of results'), ...errors },
      },
      post: {
        tags: [tag],
        summary: `Add (administrators)`,
        requestBody: jsonBody(create),
        responses: { '201': ok('Created'), ...errors },
      },
    },
    [`/api/${plural}/{id}`]: {
      get: { tags: [tag], summary: 'Read one', parameters: [idParam], responses: { '200': ok('Found'), ...errors } },
      put: {
        tags: [tag],
        summary: 'Change (administrators); send the version you read',
        parameters: [idParam],
        requestBody: jsonBody(update),
        responses: { '200': ok('Changed'), ...errors },
      },
    },
  }
}

/** Progress checks and significant-change notices. */
function qualityPaths() {
  const tags = ['Progress checks and notices']
  return {
    '/api/checks/due': {
      get: {
        tags,
        summary:
          'Progress checks due and overdue, soonest first: my caseload, or (reviewing service manager) my reviewers’',
        parameters: [
          { name: 'reviewerId', in: 'query', schema: { type: 'integer' }, description: 'One reviewer you manage' },
          { name: 'state', in: 'query', schema: { type: 'string', enum: ['due', 'overdue'] } },
          ...listParams.slice(1),
        ],
        responses: { '200': ok('A page of checks due, with the reviewers you manage'), ...errors },
      },
    },
    '/api/children/{id}/checks': {
      post: {
        tags,
        summary: 'Record a progress check (the child’s allocated IRO) or quality assurance review (CP chair)',
        parameters: [idParam],
        requestBody: jsonBody('ProgressCheck'),
        responses: { '201': ok('The check recorded'), ...errors },
      },
    },
    '/api/checks/{id}': {
      get: { tags, summary: 'One check', parameters: [idParam], responses: { '200': ok('The check'), ...errors } },
    },
    '/api/children/{id}/notices': {
      post: {
        tags,
        summary: 'Tell the child’s reviewer of a significant change (the social worker or their managers)',
        parameters: [idParam],
        requestBody: jsonBody('ChangeNotice'),
        responses: { '201': ok('The notice, with how late it was in working days'), ...errors },
      },
    },
    '/api/notices/{id}': {
      get: { tags, summary: 'One notice', parameters: [idParam], responses: { '200': ok('The notice'), ...errors } },
    },
    '/api/notices/{id}/acknowledge': {
      post: {
        tags,
        summary: 'The reviewer acknowledges the notice, optionally saying a review is needed by a date',
        parameters: [idParam],
        requestBody: jsonBody('AcknowledgeNotice'),
        responses: { '200': ok('The notice'), ...errors },
      },
    },
    '/api/notices/{id}/review': {
      post: {
        tags,
        summary: 'The reviewer sets or moves the date a review is needed by; send the version you read',
        parameters: [idParam],
        requestBody: jsonBody('NoticeReview'),
        responses: { '200': ok('The notice'), ...errors },
      },
    },
    '/api/notices/{id}/review-held': {
      post: {
        tags,
        summary: 'The reviewer records the review as held; send the version you read',
        parameters: [idParam],
        requestBody: jsonBody('NoticeReviewHeld'),
        responses: { '200': ok('The notice'), ...errors },
      },
    },
  }
}

/** Good practice notes, reciprocal notes and concerns about reviewers. */
function notePaths() {
  const tags = ['Notes']
  return {
    '/api/notes': {
      get: {
        tags,
        summary:
          'Notes written by me, about me, sent to me, or about people and teams I manage; a concern only to its author and the reviewer’s manager',
        parameters: listParams.slice(1),
        responses: { '200': ok('A page of notes'), ...errors },
      },
      post: {
        tags,
        summary:
          'A reviewer’s good practice note about the social worker (to them, copying the team manager) or the team (to the team manager): one linked note for each child (siblings)',
        requestBody: jsonBody('GoodPracticeNote'),
        responses: { '201': ok('The notes written'), ...errors },
      },
    },
    '/api/notes/reciprocal': {
      post: {
        tags,
        summary: 'A good practice note about an IRO or CP chair, to them and their manager',
        requestBody: jsonBody('ReciprocalNote'),
        responses: { '201': ok('The note'), ...errors },
      },
    },
    '/api/notes/concerns': {
      post: {
        tags,
        summary:
          'A concern about an IRO’s or CP chair’s practice, to their manager only; never on a child’s record (the case ID is context only)',
        requestBody: jsonBody('ReviewerConcern'),
        responses: { '201': ok('The concern'), ...errors },
      },
    },
    '/api/notes/concerns/{id}/resolution': {
      post: {
        tags,
        summary:
          'The reviewer’s manager records the informal resolution, and the formal route when it is not resolved; send the version you read',
        parameters: [idParam],
        requestBody: jsonBody('ConcernResolution'),
        responses: { '200': ok('The concern'), ...errors },
      },
    },
    '/api/notes/{id}': {
      get: {
        tags,
        summary: 'One note or concern, with who it went to and when each acknowledged it',
        parameters: [idParam],
        responses: { '200': ok('The note'), ...errors },
      },
    },
  }
}

/** The API description, built from the same schemas that validate requests, so the two cannot drift. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Concord API',
      version: '1.0.0',
      description: 'Children, people and teams. Authenticate with a personal API token issued by an administrator.',
    },
    security: [{ bearerAuth: [] }],
    paths: {
      ...resource('children', 'Children', 'ChildInput', 'ChildUpdate'),
      ...resource('people', 'People', 'PersonInput', 'PersonUpdate'),
      ...resource('teams', 'Teams', 'TeamInput', 'TeamUpdate'),
      '/api/policies': {
        get: {
          tags: ['Policies'],
          summary: 'Every loaded policy, all versions',
          responses: { '200': ok('Policies'), ...errors },
        },
      },
      '/api/policies/{id}/{version}': {
        get: {
          tags: ['Policies'],
          summary: 'One policy version: stages, categories and rules',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'version', in: 'path', required: true, schema: { type: 'integer' } },
          ],
          responses: { '200': ok('The policy'), ...errors },
        },
      },
      '/api/disputes': {
        get: {
          tags: ['Disputes'],
          summary: 'Dispute records about children you may see',
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'resolved', 'finalised'] } },
            ...listParams.slice(1),
          ],
          responses: { '200': ok('A page of records'), ...errors },
        },
        post: {
          tags: ['Disputes'],
          summary: 'Raise a dispute (IROs and CP chairs): one linked record for each child (siblings)',
          requestBody: jsonBody('RaiseDispute'),
          responses: {
            '201': ok('The records raised'),
            '200': ok('The same raise was made before and its records are still open: those records, not raised again'),
            ...errors,
          },
        },
      },
      '/api/disputes/{id}': {
        get: {
          tags: ['Disputes'],
          summary: 'One record, with the commands you may send',
          parameters: [idParam],
          responses: { '200': ok('The record'), ...errors },
        },
      },
      '/api/disputes/{id}/record.pdf': {
        get: {
          tags: ['Disputes'],
          summary: 'The whole record as an A4 PDF (audited: the download is on the record’s history)',
          parameters: [idParam],
          responses: { '200': pdf('The record: child, policy, stages, actions, discussions, decisions'), ...errors },
        },
      },
      '/api/disputes/{id}/cafcass-letter.pdf': {
        get: {
          tags: ['Disputes'],
          summary: 'The CAFCASS referral letter (the reviewer’s reasons, then the record) as an A4 PDF; audited',
          parameters: [idParam],
          responses: {
            '200': pdf('The referral letter'),
            ...errors,
            '404': problemResponse('Not found, not visible to you, or not referred to CAFCASS'),
          },
        },
      },
      '/api/disputes/{id}/commands': {
        post: {
          tags: ['Disputes'],
          summary: 'One step of the lifecycle (respond, decide, escalate, finalise...), with the version you read',
          parameters: [idParam],
          requestBody: jsonBody('DisputeCommand'),
          responses: {
            '200': ok('The record after the step'),
            ...errors,
            '422': problemResponse(
              'The policy or the record’s state does not allow this step; `refusal` names the rule',
            ),
          },
        },
      },
      '/api/work': {
        get: {
          tags: ['Work'],
          summary: 'My work: what awaits me, most urgent first',
          parameters: listParams.slice(1),
          responses: { '200': ok('A page of items'), ...errors },
        },
      },
      '/api/work/{id}/acknowledge': {
        post: {
          tags: ['Work'],
          summary:
            'Acknowledge a notice (a copy); tasks leave only when done. A significant-change notice is acknowledged at /api/notices/{id}/acknowledge, which asks whether a review is needed (404 here)',
          parameters: [idParam],
          responses: {
            '204': { description: 'Acknowledged, now or before (acknowledging again changes nothing)' },
            ...errors,
          },
        },
      },
      '/api/work/records': {
        get: {
          tags: ['Work'],
          summary: 'A reviewer’s own outstanding records with their state',
          parameters: [...supervisionParams, ...listParams.slice(1)],
          responses: { '200': ok('A page of records'), ...errors },
        },
      },
      '/api/supervision': {
        get: {
          tags: ['Work'],
          summary: 'Reviewing service manager: every outstanding record of each reviewer they manage',
          parameters: [...supervisionParams, ...listParams.slice(1)],
          responses: { '200': ok('A page of records and the reviewers'), ...errors },
        },
      },
      '/api/unanswered': {
        get: {
          tags: ['Work'],
          summary: 'Head of service: disputes in their area unanswered past their due date',
          parameters: listParams.slice(1),
          responses: { '200': ok('A page of records'), ...errors },
        },
      },
      '/api/me/notification-preference': {
        put: {
          tags: ['Work'],
          summary: 'Immediate emails or one daily digest',
          description: 'Choosing immediate emails again sends whatever was held for the next digest straight away.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['preference'],
                  properties: { preference: { type: 'string', enum: ['immediate', 'daily_digest'] } },
                },
              },
            },
          },
          responses: { '200': ok('Saved'), ...errors },
        },
      },
      '/api/disputes/{id}/discussions': {
        post: {
          tags: ['Disputes'],
          summary: 'Log a discussion (phone, face to face, meeting, email, letter)',
          parameters: [idParam],
          requestBody: jsonBody('Discussion'),
          responses: { '201': ok('The record with the discussion'), ...errors },
        },
      },
      ...qualityPaths(),
      ...notePaths(),
      '/api/children/{id}/export': {
        get: {
          tags: ['Data protection'],
          summary:
            'Administrators: everything held about one child as one JSON file (subject access), recorded in the child’s access audit',
          parameters: [idParam],
          responses: { '200': ok('The export, as an attachment'), ...errors },
        },
      },
      ...reportPaths(),
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ChildInput: schema(childSchema),
        ChildUpdate: schema(childUpdateSchema),
        PersonInput: schema(personSchema),
        PersonUpdate: schema(personUpdateSchema),
        TeamInput: schema(unitSchema),
        TeamUpdate: schema(unitUpdateSchema),
        RaiseDispute: schema(raiseSchema),
        DisputeCommand: schema(commandRequestSchema),
        Discussion: schema(discussionSchema),
        GoodPracticeNote: schema(noteApiSchema),
        ReciprocalNote: schema(reciprocalApiSchema),
        ReviewerConcern: schema(concernApiSchema),
        ConcernResolution: schema(resolutionApiSchema),
        ProgressCheck: schema(checkRequestSchema),
        ChangeNotice: schema(noticeRequestSchema),
        AcknowledgeNotice: schema(acknowledgeRequestSchema),
        NoticeReview: schema(reviewRequestSchema),
        NoticeReviewHeld: schema(reviewHeldRequestSchema),
        Problem: {
          type: 'object',
          required: ['title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            refusal: {
              type: 'string',
              description: 'For 403, 409 and 422 from a dispute command: the rule that refused it',
            },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  }
}
