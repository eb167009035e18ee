import { Router } from 'express'
import { findPolicy } from '../../domain/policies/policyCatalogue.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import {
  categoryName,
  policyRuleSentences,
  policyStageRows,
  policyTableRows,
  roleTitle,
} from '../presenters/disputePresenter.js'
import { formatDate } from '../../text/format.js'
import { idParam } from './formHandling.js'

/** Every loaded dispute resolution policy, for administrators: read-only, policies are data files. */
export function policyRoutes(services: Services): Router {
  const router = Router()
  const { disputes, config } = services

  router.get(paths.policies.index(), requireAdmin, (_req, res) => {
    res.render('pages/policies/index', { rows: policyTableRows(disputes.policies()) })
  })

  router.get('/policies/:id/:version', requireAdmin, (req, res) => {
    const version = idParam(req.params.version as string)
    const policy = version === undefined ? undefined : findPolicy(disputes.policies(), req.params.id as string, version)
    if (!policy) throw new NotFoundError()
    res.render('pages/policies/show', {
      policy,
      effectiveFrom: formatDate(policy.effectiveFrom),
      reviewers: policy.reviewerRoles.map(r => roleTitle(policy, r, config.roleTitles)),
      stages: policyStageRows(policy),
      categories: policy.categories.map(c => ({ name: categoryName(policy, c.key), description: c.description ?? '' })),
      rules: policyRuleSentences(policy, config.roleTitles),
    })
  })

  return router
}
