// What the Reports area reads of a dispute's state, as plain values (ADR 0018). The repository
// writes them beside the state in the same statement that saves it, so the report queries group
// plain indexed columns instead of taking the state JSON apart for every record. Only dates and
// keys are kept: working days are still counted when the report runs, with the calendar of that
// day (ADR 0014), so a closure added later counts for past records as it always did.
import type { Dispute } from './dispute.js'

export interface DisputeStageFact {
  /** The stage's place in the record's stages, from 1. */
  n: number
  stageKey: string
  dueOn: string
  /** The first response's day, if any. */
  respondedOn: string | null
}

export interface DisputeReportFacts {
  /** The last stage entered (none before the first). */
  reachedStageKey: string | null
  /** The stage the record was resolved at. */
  resolvedStageKey: string | null
  /** Referred to CAFCASS. */
  cafcass: boolean
  reviewerRole: Dispute['reviewerRole']
  stageCount: number
  /** Only the stages entered with a deadline inside Concord. */
  stages: DisputeStageFact[]
}

export function disputeReportFacts(state: Dispute): DisputeReportFacts {
  return {
    reachedStageKey: state.stages.at(-1)?.stageKey ?? null,
    resolvedStageKey: state.resolution?.atStageKey ?? null,
    cafcass: state.cafcass != null,
    reviewerRole: state.reviewerRole,
    stageCount: state.stages.length,
    stages: state.stages.flatMap((stage, i) =>
      stage.dueOn == null
        ? []
        : [{ n: i + 1, stageKey: stage.stageKey, dueOn: stage.dueOn, respondedOn: stage.responses[0]?.on ?? null }],
    ),
  }
}
