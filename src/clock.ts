/** All of "today" comes from here. Tests and demos fix it; production reads the system clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) }
}

/** A clock tests can move forward without waiting. */
export class SettableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime())
  }
  set(at: Date): void {
    this.current = new Date(at.getTime())
  }
}

/** Made once: building an Intl formatter costs far more than using one, and this runs on every page. */
const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The calendar day in England for an instant: deadlines are counted in local days. */
export function londonDate(at: Date): string {
  return londonDay.format(at)
}
