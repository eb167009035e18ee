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
    credentials: {
      wrong: 'Enter a correct email address and password',
      /** Every refused sign-in, locked or not: the same words do not tell whether an address has an account. */
      refused: (minutes: number) =>
        `Enter a correct email address and password. After too many wrong attempts, an account is locked for ${minutes} minutes: try again then, or ask an administrator`,
    },
    provider: { localSwitchedOff: 'Email and password sign-in is switched off. Use the sign-in button' },
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
  dispute: {
    childIds: {
      required: 'Select the children this concern is about',
      notSiblings: 'Select only children who are siblings of each other',
    },
    policyId: {
      required: 'Select the policy the dispute is raised under',
      unknown: 'Select a policy that is in force today for your role',
    },
    categoryKey: { required: 'Select the category of concern' },
    concern: { required: 'Enter the concern', tooLong: 'The concern must be 5,000 characters or fewer' },
    impact: {
      required: 'Enter the impact on the child',
      tooLong: 'The impact on the child must be 5,000 characters or fewer',
    },
    wishesAndFeelings: { tooLong: 'The child’s wishes and feelings must be 5,000 characters or fewer' },
    recommendedResolution: {
      required: 'Enter the recommended resolution',
      tooLong: 'The recommended resolution must be 5,000 characters or fewer',
    },
    resolutionTimescale: {
      required: 'Enter the timescale for resolution',
      tooLong: 'The timescale must be 200 characters or fewer',
    },
    becameAwareOn: {
      required: 'Enter the date you became aware of the concern',
      invalid: 'The date you became aware must be a real date',
      future: 'The date you became aware must be today or in the past',
    },
    startStageKey: { required: 'Select the stage to start at' },
    agreedDueOn: { invalid: 'The agreed date must be a real date' },
    preApprovedBy: {
      unknown: 'Select who agreed from the list',
      required: 'Select who agreed, or leave the date empty',
    },
    preApprovedOn: { invalid: 'The date it was agreed must be a real date', required: 'Enter the date it was agreed' },
    comments: { required: 'Enter your comments', tooLong: 'Comments must be 5,000 characters or fewer' },
    reason: {
      required: 'Enter why you are escalating',
      tooLong: 'Why you are escalating must be 5,000 characters or fewer',
    },
    declineReason: {
      required: 'Enter the reason for declining',
      tooLong: 'The reason for declining must be 5,000 characters or fewer',
    },
    withdrawReason: {
      required: 'Enter why you are withdrawing the request',
      tooLong: 'Why you are withdrawing the request must be 5,000 characters or fewer',
    },
    toStageKey: { required: 'Select the stage to escalate to' },
    decision: { required: 'Select whether the dispute is resolved' },
    resolvedOn: {
      invalid: 'The date the dispute was resolved must be a real date',
      notResolved: 'Only give the date it was resolved if the dispute is resolved',
    },
    actions: {
      required: 'Add at least one action to the plan',
      what: 'Enter what will be done for every action',
      owner: 'Select who owns every action',
      dueOn: 'Enter a real due date for every action',
    },
    evidence: { required: 'Enter how the action was completed', tooLong: 'Evidence must be 2,000 characters or fewer' },
    channel: { required: 'Select how the discussion took place' },
    heldOn: {
      required: 'Enter the date of the discussion',
      invalid: 'The date of the discussion must be a real date',
      future: 'The date of the discussion must be today or in the past',
      // A discussion counts towards escalating from the stage it is logged at, so it cannot predate it.
      beforeStage: (stageStarted: string) =>
        `The date of the discussion must be the same as or after ${stageStarted}, when the record reached its current stage`,
      beforeAware: (awareOn: string) =>
        `The date of the discussion must be the same as or after ${awareOn}, when you became aware of the concern`,
    },
    participants: { required: 'Enter who took part', tooLong: 'Who took part must be 500 characters or fewer' },
    summary: {
      required: 'Enter a summary of the discussion',
      tooLong: 'The summary must be 5,000 characters or fewer',
    },
    text: { required: 'Enter the text', tooLong: 'The text must be 5,000 characters or fewer' },
    version: { required: 'Reload the page and try again' },
    siblingIds: { unknown: 'Select siblings from the list' },
    alsoForIds: { unknown: 'Select linked records from the list' },
    preApprovalNote: { tooLong: 'The note must be 2,000 characters or fewer' },
    /** A partly filled row of the SMART action plan: the message names the row. */
    actionRow: {
      what: (row: number) => `Enter what will be done for action ${row}`,
      whatTooLong: (row: number) => `What will be done for action ${row} must be 1,000 characters or fewer`,
      ownerId: (row: number) => `Select who owns action ${row}`,
      dueOn: (row: number) => `Enter the date action ${row} is due`,
      dueOnInvalid: (row: number) => `The due date of action ${row} must be a real date`,
      dueOnPast: (row: number) => `The due date of action ${row} must be today or later`,
    },
    extensionNote: {
      required: 'Enter the extra actions agreed for the extension',
      tooLong: 'The note must be 5,000 characters or fewer',
    },
    approvalNote: { tooLong: 'The note must be 2,000 characters or fewer' },
    outcomeText: { required: 'Enter the outcome', tooLong: 'The outcome must be 5,000 characters or fewer' },
    resolved: { required: 'Select whether the dispute is resolved' },
    cafcassReasons: {
      required: 'Enter the reasons for the referral to CAFCASS',
      tooLong: 'The reasons must be 5,000 characters or fewer',
    },
    legalAdvice: {
      required: 'Enter the legal advice sought',
      tooLong: 'The note must be 5,000 characters or fewer',
    },
    addendum: { required: 'Enter the addendum', tooLong: 'The addendum must be 5,000 characters or fewer' },
    meeting: {
      tooLong: 'Each part of the meeting notes must be 5,000 characters or fewer',
      outcome: 'Select the outcome of the meeting',
      headings: 'Write the meeting notes under the agenda’s headings only',
      notAMeeting: 'Leave out the meeting notes: they are only for a discussion held as a meeting',
      notesWithoutMeeting:
        'Meeting notes are only for a meeting: select Meeting, or write what was said in the summary',
    },
    /** Why the dispute's rules refused a step, in the words a user sees (no closing full stop, as GOV.UK's error messages). */
    refusals: {
      locked: 'This record has been finalised and is locked. You can only add an addendum',
      not_allowed: 'You cannot do this on this record',
      wrong_phase: 'This cannot be done at this point in the dispute',
      already_decided:
        'You have already decided that this stage is not resolved. Escalate the dispute, agree an extension or finalise the record',
      unknown_stage: 'Select a stage from the policy',
      stage_not_later: 'Select a stage above the current one',
      bypass_not_allowed: 'This policy does not allow a stage to be bypassed. Escalate to the next stage',
      // The page above the form says which ways of discussing this policy counts (discussionRuleSentence).
      discussion_required:
        'Before escalating, log a discussion of the dispute at this stage in one of the ways the policy asks for',
      linked_not_awaiting:
        'A linked record you selected is no longer waiting for your pre-approval, so nothing was saved. Check the linked records and try again',
      discussion_required_to_resolve:
        'Before recording the dispute as resolved, log a discussion of it at this stage in one of the ways the policy asks for',
      extension_not_allowed: 'This policy does not allow an extension',
      extension_used: 'An extension has already been agreed at this stage',
      cafcass_not_allowed: 'Only an IRO can refer to CAFCASS, where the policy allows it',
      cafcass_already: 'This record has already been referred to CAFCASS',
      cafcass_too_early: 'Under this policy, a referral to CAFCASS follows the last stage of the process',
      no_actions: 'Add at least one action to the plan',
      action_due_before_today: 'Every action must be due today or later',
      action_owner_not_on_chain:
        'Give each action to someone on the list: the people on the child’s chain, who can open the record',
      unknown_action: 'That action is not on this record',
      action_done: 'That action is already done',
      due_date_required: 'Enter the date agreed for the response at this stage',
      due_date_in_past: 'The agreed response date must be today or later',
      due_date_not_working_day:
        'The agreed response date must be a working day: not a weekend, a bank holiday or a day the office is closed',
      resolved_in_future: 'The date the dispute was resolved must be today or in the past',
      resolved_before_stage: 'The date the dispute was resolved must be on or after the day it reached this stage',
      agreed_date_not_allowed:
        'This stage has the policy’s own timescale: leave the agreed response date empty, or choose a stage that may have one',
      not_resolved:
        'The record can only be finalised once the dispute is resolved, or once it has gone outside the system',
      not_pre_approver: 'Only the reviewer’s manager named by the policy can agree this stage',
      pre_approved_in_future: 'The date it was agreed must be today or in the past',
      aware_after_raise: 'The date you became aware must be today or in the past',
    },
  },
  calendar: {
    day: {
      required: 'Enter the date',
      invalid: 'The date must be a real date',
      weekend: 'The date must be a weekday: weekends are never working days',
      alreadyClosed: 'That date is already a bank holiday',
      notBankHoliday: 'That date is not a bank holiday: only a bank holiday can be reopened',
    },
    kind: { required: 'Select whether the office is closed or open on that date' },
    note: { required: 'Enter a note saying why', tooLong: 'The note must be 200 characters or fewer' },
  },
  notes: {
    childIds: {
      required: 'Select the children this note is about',
      notSiblings: 'Select only children who are siblings of each other',
    },
    about: {
      required: 'Select who the note is about',
      noSocialWorker: 'This child has no allocated social worker. Select the team instead',
      noTeamManager: 'The child’s team has no manager to send the note to',
    },
    categoryKey: { required: 'Select the category of practice' },
    goodPractice: {
      required: 'Enter what the good practice was',
      tooLong: 'The good practice must be 5,000 characters or fewer',
    },
    impact: {
      required: 'Enter the impact on the child and family',
      tooLong: 'The impact must be 5,000 characters or fewer',
    },
    benefit: {
      required: 'Enter the benefit to the child or their family',
      tooLong: 'The benefit must be 5,000 characters or fewer',
    },
    siblingIds: { unknown: 'Select siblings from the list' },
    reviewerId: {
      required: 'Select the IRO or child protection conference chair',
      unknown: 'Select an active IRO or child protection conference chair',
      noManager: 'Nobody manages this reviewer in Concord yet. Ask an administrator to name their manager',
    },
    route: {
      required: 'Select the route the concern follows',
      conferenceOnly:
        'The conference complaints process is for a child protection conference: select the escalation policy for a concern about an IRO',
    },
    concern: { required: 'Enter the concern', tooLong: 'The concern must be 5,000 characters or fewer' },
    caseId: { tooLong: 'Case ID must be 40 characters or fewer' },
    outcome: {
      required: 'Enter the outcome of the informal discussion',
      tooLong: 'The outcome must be 5,000 characters or fewer',
    },
    resolved: { required: 'Select whether the concern is resolved' },
    formalRoute: {
      required: 'Select the formal route to take',
      notResolvedOnly: 'Only an unresolved concern needs a formal route',
    },
    version: { required: 'Reload the page and try again' },
    alreadyResolved: 'The informal resolution of this concern has already been recorded.',
  },
  checks: {
    notReviewer: 'Only an IRO or a child protection conference chair can record a progress check',
    notAllocated: 'Only the child’s allocated IRO or child protection conference chair can record a progress check',
    kind: { required: 'Select which check this is' },
    heldOn: {
      required: 'Enter the date of the check',
      invalid: 'The date of the check must be a real date',
      future: 'The date of the check must be today or in the past',
      beforeStart: 'The date of the check must be on or after the start of the plan or care episode',
    },
    /** Each heading of the check's form is answered: the message names the heading. */
    answer: {
      required: (heading: string) => `Enter an answer for ‘${heading}’`,
      tooLong: (heading: string) => `The answer for ‘${heading}’ must be 5,000 characters or fewer`,
    },
    outcome: { required: 'Select the outcome of the check' },
    reviewerId: { unknown: 'Select a reviewer you manage' },
    state: { unknown: 'Select due or overdue' },
  },
  notices: {
    notSender: 'Only the child’s social worker or their managers can tell the reviewer about a significant change',
    notReviewer: 'Only the reviewer the notice was sent to can do this',
    audience: {
      required: 'Select who the notice is for',
      unknown: 'Select the IRO for a child in care, or the child protection conference chair for a child on a plan',
      noStatus: 'This child is neither looked after nor on a child protection plan, so there is no reviewer to tell',
      noReviewer: 'This child has no allocated reviewer for this list. Ask for one to be allocated first',
    },
    kind: { required: 'Select what has happened' },
    occurredOn: {
      required: 'Enter the date it happened',
      invalid: 'The date it happened must be a real date',
      future: 'The date it happened must be today or in the past',
    },
    details: { required: 'Enter the details', tooLong: 'The details must be 5,000 characters or fewer' },
    reviewNeeded: { required: 'Select whether a review is needed' },
    reviewDueOn: {
      required: 'Enter the date the review is needed by',
      invalid: 'The date the review is needed by must be a real date',
      past: 'The date the review is needed by must be today or later',
      notNeeded: 'Select yes if a review is needed by this date, or remove the date',
    },
    heldOn: {
      required: 'Enter the date the review was held',
      invalid: 'The date the review was held must be a real date',
      future: 'The date the review was held must be today or in the past',
      beforeEvent: 'The date the review was held must be on or after the date of the change',
    },
    version: { required: 'Reload the page and try again' },
    acknowledged: 'This notice has already been acknowledged.',
    reviewHeld: 'The review has already been recorded as held.',
    noReview: 'No review has been asked for on this notice.',
  },
  reports: {
    from: { invalid: 'The start of the period must be a real date' },
    to: {
      invalid: 'The end of the period must be a real date',
      beforeFrom: 'The end of the period must be the same as or after the start',
    },
    year: { invalid: 'Enter the year the reporting year starts in, like 2025' },
  },
  common: {
    id: { invalid: 'Select an item from the list' },
    page: { invalid: 'Page must be a whole number' },
    search: { tooLong: 'Search must be 100 characters or fewer' },
  },
  import: {
    file: {
      none: 'Select at least one CSV file to import',
      unreadable: 'The files could not be read: select them again, one CSV file for each kind',
      notCsv: (file: string) => `The ${file} file must be a CSV`,
      notText: (file: string) =>
        `The ${file} file is not a CSV file that Concord can read: save it from the spreadsheet as “CSV UTF-8”`,
      empty: (file: string) => `The ${file} file is empty`,
      tooLarge: (file: string, mb: number) => `The ${file} file must be smaller than ${mb} MB`,
      malformed: (file: string, row: number) =>
        `The ${file} file is not a valid CSV file: row ${row} does not have the same columns as the header`,
      missingColumns: (file: string, columns: string[]) =>
        `The ${file} file is missing the column${columns.length > 1 ? 's' : ''} ${columns.join(', ')}`,
      unknownColumns: (file: string, columns: string[]) =>
        `The ${file} file has column${columns.length > 1 ? 's' : ''} Concord does not recognise: ${columns.join(', ')}`,
      noRows: (file: string) => `The ${file} file has a header but no rows`,
      tooManyRows: (file: string, max: number) => `The ${file} file must have ${max} rows or fewer`,
    },
    row: (file: string, row: number, message: string) => `${file} file, row ${row}: ${message}`,
    caseId: {
      required: 'Enter the case ID',
      format: 'Case ID must only include letters, numbers and hyphens, and be 40 characters or fewer',
      duplicate: (row: number) => `the same case ID is also on row ${row}`,
      unknown: (caseId: string) => `there is no child with case ID ${caseId} in Concord or the children file`,
    },
    name: {
      required: (what: string) => `Enter the ${what}`,
      tooLong: (what: string) => `The ${what} must be 100 characters or fewer`,
    },
    date: {
      required: (what: string) => `Enter the ${what}`,
      invalid: (what: string) => `The ${what} must be a real date, like 2015-06-01 or 01/06/2015`,
      future: (what: string) => `The ${what} must be today or in the past`,
      beforeBirth: (what: string) => `The ${what} must be on or after the date of birth`,
    },
    team: {
      required: 'Enter the child’s team',
      unknown: (name: string) => `there is no team called “${name}” in Concord or the teams file`,
    },
    unit: {
      nameRequired: 'Enter the name of the team or unit',
      nameTooLong: 'The name must be 100 characters or fewer',
      duplicate: (row: number) => `the same name is also on row ${row}`,
      type: (types: string) => `Enter a type of unit: one of ${types}`,
      parentRequired: 'Enter the unit this one sits under (only a council sits under nothing)',
      parentNotAllowed: 'A council does not sit under another unit: leave the parent empty',
      parentUnknown: (name: string) => `there is no unit called “${name}” in Concord or the teams file`,
      parentWrongType: (kind: string, allowed: string) => `a ${kind} must sit under a ${allowed}`,
      cycle: 'A unit cannot sit under itself or under one of its own units',
      unknown: (name: string) => `there is no unit called “${name}” in Concord or the teams file`,
    },
    person: {
      staffIdRequired: 'Enter the staff ID',
      staffIdFormat: 'Staff ID must be 40 characters or fewer, with no spaces',
      duplicateStaffId: (row: number) => `the same staff ID is also on row ${row}`,
      duplicateEmail: (row: number) => `the same email address is also on row ${row}`,
      email: 'Enter an email address in the correct format, like name@example.com',
      emailTaken: 'someone else in Concord already has this email address',
      emailOtherStaffId: 'this email address belongs to someone in Concord with a different staff ID',
      roles: (roles: string) => `Roles must be separated by semicolons, each one of ${roles}`,
      unknown: (ref: string) => `there is no person with staff ID or email “${ref}” in Concord or the people file`,
      inactive: (ref: string) => `${ref} is not active in Concord or is ended by the people file`,
      lacksRole: (ref: string, role: string) => `${ref} does not have the role ${role}`,
    },
    allocation: {
      iroNeedsLookedAfter: 'An IRO can only be allocated to a child who is looked after (enter looked_after_start)',
      cpChairNeedsPlan:
        'A child protection conference chair can only be allocated to a child on a child protection plan (enter cp_plan_start)',
    },
    warnings: {
      allocated: (name: string, n: number) =>
        `${name} will be made inactive but is still allocated to ${n} ${n === 1 ? 'child' : 'children'}: allocate ${
          n === 1 ? 'the child' : 'them'
        } to someone else in the allocations file`,
      manages: (name: string, units: string[]) =>
        `${name} will be made inactive but still manages ${units.join(', ')}: name a new manager in the teams file`,
    },
    stale: 'The records changed since this preview was made. Check the changes below again before you apply them.',
    notPending: 'This import has already been applied or cancelled.',
  },
  retention: {
    decision: { required: 'Select whether to keep the records or mark them for deletion' },
    reason: {
      required: 'Enter the reason for the decision',
      tooLong: 'The reason must be 2000 characters or fewer',
    },
    keepUntil: {
      required: 'Enter the date to keep the records until',
      invalid: 'The date to keep the records until must be a real date',
      past: 'The date to keep the records until must be in the future',
    },
  },
} as const
