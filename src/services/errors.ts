/** Typed failures that services raise and the web and API layers map to pages and status codes. */
export class NotFoundError extends Error {
  constructor(what = 'not found') {
    super(what)
  }
}

export class ForbiddenError extends Error {
  constructor(what = 'forbidden') {
    super(what)
  }
}

/** Someone else changed the record since it was read (optimistic locking by version number). */
export class ConflictError extends Error {
  constructor(what = 'This record was changed by someone else while you were editing it.') {
    super(what)
  }
}

export interface FieldError {
  field: string
  message: string
}

/** Input broke a rule only the database can check (a duplicate case ID, say). */
export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map(e => `${e.field}: ${e.message}`).join('; '))
  }
}

/** The dispute's rules refused the step (wrong stage, wrong person, locked...). */
export class DisputeRefusedError extends Error {
  constructor(readonly refusal: string) {
    super(`refused: ${refusal}`)
  }
}
