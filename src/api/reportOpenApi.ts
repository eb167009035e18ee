// The reports part of the OpenAPI document (issue 7): the figures, the annual page and the records
// behind a number.

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})
const errors = {
  '400': problem('A date that does not exist, or the end before the start'),
  '401': problem('No valid API token'),
  '403': problem('Your roles do not allow reports'),
}

const filterParams = [
  {
    name: 'from',
    in: 'query',
    schema: { type: 'string', format: 'date' },
    description: 'Start (default: 1 April of the last reporting year)',
  },
  {
    name: 'to',
    in: 'query',
    schema: { type: 'string', format: 'date' },
    description: 'End (default: 31 March after it)',
  },
  { name: 'team', in: 'query', schema: { type: 'integer' }, description: 'Children of one team' },
  { name: 'area', in: 'query', schema: { type: 'integer' }, description: 'Children of the teams in one service area' },
  { name: 'reviewer', in: 'query', schema: { type: 'integer' }, description: 'One IRO or CP chair' },
  { name: 'policy', in: 'query', schema: { type: 'string' }, description: 'Disputes under one policy (id)' },
  { name: 'cohort', in: 'query', schema: { type: 'string', enum: ['cp', 'care'] }, description: 'CP plan or in care' },
]

const cell = {
  type: 'object',
  required: ['value', 'format'],
  properties: {
    value: { type: ['number', 'null'] },
    format: { type: 'string', enum: ['count', 'days', 'ratio'] },
    records: { type: 'string', description: 'The API address of the records this count counts' },
  },
}

export const reportTableSchema = {
  type: 'object',
  required: ['id', 'title', 'description', 'rowHeader', 'columns', 'rows'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    rowHeader: { type: 'string' },
    columns: {
      type: 'array',
      items: { type: 'object', properties: { key: { type: 'string' }, label: { type: 'string' } } },
    },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, label: { type: 'string' }, cells: { type: 'array', items: cell } },
      },
    },
  },
}

const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } })

export function reportPaths() {
  const tags = ['Reports']
  return {
    '/api/reports': {
      get: {
        tags,
        summary:
          'Every figure for a period and filters: disputes by stage, category, team and outcome; timeliness; good practice notes; progress checks; notices; repeat concerns. Reviewing service managers, heads of service, directors and performance officers; a social worker gets their own children’s figures.',
        parameters: filterParams,
        responses: {
          '200': json('The figures, table by table', {
            type: 'object',
            properties: {
              filters: { type: 'object' },
              filterSummary: { type: 'array', items: { type: 'object' } },
              scope: { type: 'string', enum: ['all', 'own'] },
              sections: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    title: { type: 'string' },
                    note: {
                      type: 'string',
                      description:
                        'Present when a filter does not apply to the section (the policy, for notes, checks and notices)',
                    },
                    tables: { type: 'array', items: reportTableSchema },
                  },
                },
              },
            },
          }),
          ...errors,
        },
      },
    },
    '/api/reports/annual': {
      get: {
        tags,
        summary: 'The figures an annual IRO or CP chair report needs: a reporting year against the year before',
        parameters: [
          {
            name: 'year',
            in: 'query',
            schema: { type: 'integer' },
            description: 'The year the reporting year starts in (April)',
          },
          ...filterParams.slice(2),
        ],
        responses: {
          '200': json('The year and the year before', {
            type: 'object',
            properties: { year: { type: 'integer' }, years: { type: 'array' }, table: reportTableSchema },
          }),
          ...errors,
        },
      },
    },
    '/api/reports/records': {
      get: {
        tags,
        summary:
          'The records behind one count (use the address in the count’s `records`): only about children you may see; `notShown` counts the others. Behind a count of progress checks (`figure=slot`) the items are children (`kind` "child"), each with `counted`, how many of the checks are theirs, and `figure` names the count',
        parameters: [
          ...filterParams,
          {
            name: 'figure',
            in: 'query',
            required: true,
            schema: { type: 'string', enum: ['dispute', 'stage', 'note', 'check', 'slot', 'notice'] },
          },
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
          { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
        ],
        responses: {
          '200': json('A page of records', { type: 'object' }),
          ...errors,
          '404': problem('No such figure'),
        },
      },
    },
  }
}
