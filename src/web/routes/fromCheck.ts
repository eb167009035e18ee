import type { Request } from 'express'
import type { Services } from '../../services/index.js'
import { checkPrefill } from '../presenters/qualityPresenter.js'
import { idParam } from './formHandling.js'

/** A form started from a progress check: the check's id and reference, and the text the form starts from. */
export interface FromCheck {
  checkId: number
  reference: string
  concern: string
  practice: string
}

/**
 * The check a dispute or a good practice note starts from, named by `fromCheck` in the query (or, on a
 * re-rendered form, in the posted body). Only a check the viewer may see and that is about this child
 * counts; any other value is ignored, so the form is simply not pre-filled and nothing leaks.
 */
export async function fromCheck(
  services: Services,
  req: Request,
  childId: number,
  body?: Record<string, unknown>,
): Promise<FromCheck | undefined> {
  const raw = body ? body.fromCheck : req.query.fromCheck
  const checkId = typeof raw === 'string' ? idParam(raw) : undefined
  if (checkId === undefined) return undefined
  const check = await services.quality.checkToFollowUp(req.user!, checkId, childId)
  return check && { checkId: check.id, reference: check.reference, ...checkPrefill(check) }
}
