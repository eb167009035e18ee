/**
 * Every validation message, in GOV.UK style, keyed by field and then by kind of error.
 * Forms, the API and the tests all read from here; nothing repeats the words elsewhere.
 */
export const errorMessages = {
  signIn: {
    email: {
      required: 'Enter your email address',
      invalid: 'Enter an email address in the correct format, like name@example.com',
    },
    password: { required: 'Enter your password' },
    credentials: { wrong: 'Enter a correct email address and password' },
    locked: {
      locked: 'Your account is locked after too many failed attempts. Try again in 15 minutes or ask an administrator',
    },
  },
  child: {
    caseId: {
      required: 'Enter the case ID',
      tooLong: 'Case ID must be 40 characters or fewer',
      format: 'Case ID must only include letters, numbers and hyphens',
      taken: 'A child with this case ID already exists',
    },
    givenName: { required: 'Enter the child’s first name', tooLong: 'First name must be 100 characters or fewer' },
    familyName: { required: 'Enter the child’s last name', tooLong: 'Last name must be 100 characters or fewer' },
    dateOfBirth: {
      required: 'Enter the child’s date of birth',
      invalid: 'Date of birth must be a real date',
      future: 'Date of birth must be today or in the past',
    },
    teamId: { required: 'Select the child’s team', unknown: 'Select a team from the list' },
    socialWorkerId: { unknown: 'Select a social worker from the list' },
    iroId: {
      unknown: 'Select an IRO from the list',
      needsLookedAfter: 'An IRO can only be allocated to a child who is looked after',
    },
    cpChairId: {
      unknown: 'Select a child protection conference chair from the list',
      needsCpPlan: 'A child protection conference chair can only be allocated to a child on a child protection plan',
    },
    cpPlanStart: {
      invalid: 'Child protection plan start date must be a real date',
      beforeBirth: 'Child protection plan start date must be after the date of birth',
    },
    lookedAfterStart: {
      invalid: 'Looked after start date must be a real date',
      beforeBirth: 'Looked after start date must be after the date of birth',
    },
    siblingCaseId: { unknown: 'There is no child with that case ID', self: 'A child cannot be their own sibling' },
    version: { required: 'Reload the page and try again' },
  },
  person: {
    givenName: { required: 'Enter a first name', tooLong: 'First name must be 100 characters or fewer' },
    familyName: { required: 'Enter a last name', tooLong: 'Last name must be 100 characters or fewer' },
    email: {
      required: 'Enter an email address',
      invalid: 'Enter an email address in the correct format, like name@example.com',
      taken: 'Someone already has this email address',
    },
    staffId: { tooLong: 'Staff ID must be 40 characters or fewer', taken: 'Someone already has this staff ID' },
    unitId: { unknown: 'Select a team from the list' },
    roles: { unknown: 'Select roles from the list' },
    password: {
      tooShort: 'Password must be 12 characters or more',
      tooLong: 'Password must be 200 characters or fewer',
    },
  },
  unit: {
    name: {
      required: 'Enter a name',
      tooLong: 'Name must be 120 characters or fewer',
      taken: 'There is already a team or unit with this name',
    },
    kind: { required: 'Select what kind of unit this is' },
    parentId: {
      required: 'Select the unit this one reports to',
      wrongKind: 'Select a unit of the right level for this one to report to',
      cycle: 'A unit cannot report to itself or to a unit beneath it',
      notAllowed: 'A council has no unit above it',
    },
    managerId: { unknown: 'Select a manager from the list' },
  },
  token: {
    name: { required: 'Enter a name for the token', tooLong: 'Name must be 80 characters or fewer' },
  },
  common: {
    id: { invalid: 'Select an item from the list' },
    page: { invalid: 'Page must be a whole number' },
    search: { tooLong: 'Search must be 100 characters or fewer' },
  },
} as const
