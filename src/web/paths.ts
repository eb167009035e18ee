/** Every URL of the web interface, built in one place and given to the views as `paths`. */
export const paths = {
  home: () => '/',
  health: () => '/health',
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
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
  api: {
    openapi: () => '/api/openapi.json',
  },
}

export type Paths = typeof paths
