/** Every URL of the web interface, built in one place and given to the views as `paths`. */
export const paths = {
  home: () => '/',
  health: () => '/health',
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  work: {
    index: () => '/work',
    acknowledge: (itemId: number) => `/work/${itemId}/acknowledge`,
    records: () => '/work/records',
    supervision: () => '/supervision',
    unanswered: () => '/unanswered',
    notifications: () => '/settings/notifications',
    outbox: () => '/outbox',
  },
  children: {
    index: () => '/children',
    show: (id: number) => `/children/${id}`,
    edit: (id: number) => `/children/${id}/edit`,
    audit: (id: number) => `/children/${id}/audit`,
    new: () => '/children/new',
  },
  people: {
    index: () => '/people',
    show: (id: number) => `/people/${id}`,
    edit: (id: number) => `/people/${id}/edit`,
    new: () => '/people/new',
    tokens: (id: number) => `/people/${id}/tokens`,
    revokeToken: (id: number, tokenId: number) => `/people/${id}/tokens/${tokenId}/revoke`,
  },
  teams: {
    index: () => '/teams',
    show: (id: number) => `/teams/${id}`,
    edit: (id: number) => `/teams/${id}/edit`,
    new: () => '/teams/new',
  },
  disputes: {
    index: () => '/disputes',
    raise: (childId: number) => `/children/${childId}/disputes/new`,
    show: (id: number) => `/disputes/${id}`,
    print: (id: number) => `/disputes/${id}/print`,
    respond: (id: number) => `/disputes/${id}/respond`,
    decide: (id: number) => `/disputes/${id}/decide`,
    extension: (id: number) => `/disputes/${id}/extension`,
    escalate: (id: number) => `/disputes/${id}/escalate`,
    approve: (id: number) => `/disputes/${id}/approve`,
    decline: (id: number) => `/disputes/${id}/decline`,
    outcome: (id: number) => `/disputes/${id}/outcome`,
    completeAction: (id: number, actionId: number) => `/disputes/${id}/actions/${actionId}/complete`,
    cafcass: (id: number) => `/disputes/${id}/cafcass`,
    legalAdvice: (id: number) => `/disputes/${id}/legal-advice`,
    finalise: (id: number) => `/disputes/${id}/finalise`,
    addendum: (id: number) => `/disputes/${id}/addendum`,
    discussion: (id: number) => `/disputes/${id}/discussions/new`,
  },
  policies: {
    index: () => '/policies',
    show: (id: string, version: number) => `/policies/${id}/${version}`,
  },
  calendar: {
    index: () => '/calendar',
    remove: (day: string) => `/calendar/${day}/remove`,
  },
  api: {
    openapi: () => '/api/openapi.json',
  },
}

export type Paths = typeof paths
