// Regenerates src/domain/calendar/englandAndWalesBankHolidays.json from the maintained `date-holidays`
// library (npm), so the product ships plain data and never needs the library at run time.
//
//   npx tsx scripts/bankHolidays/generate.ts [outFile]
//
// Then check the diff against https://www.gov.uk/bank-holidays (England and Wales) and run the tests:
// englandAndWalesBankHolidays.test.ts compares every year with an independently typed list.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Holidays from 'date-holidays'
import dateHolidaysPackage from 'date-holidays/package.json' with { type: 'json' }
import prettier from 'prettier'
import { isWeekend, parseIsoDate, type IsoDate } from '../../src/domain/calendar/isoDate.js'

const FROM_YEAR = 2015
const TO_YEAR = 2030

// Days gov.uk lists that a rules-only source could get wrong: substitute days and the one-off
// proclamations. date-holidays 3.37.0 has them all, so nothing is added by hand; if a later version
// loses one, stop here rather than ship a wrong calendar (then add it to ADDED_BY_HAND).
const MUST_HAVE = [
  '2015-12-28', // Boxing Day (substitute day)
  '2020-05-08', // Early May bank holiday moved to Friday for VE day 75
  '2020-12-28', // Boxing Day (substitute day)
  '2021-12-27', // Christmas Day (substitute day)
  '2021-12-28', // Boxing Day (substitute day)
  '2022-06-02', // Spring bank holiday moved for the Platinum Jubilee
  '2022-06-03', // Platinum Jubilee bank holiday
  '2022-09-19', // Bank Holiday for the State Funeral of Queen Elizabeth II
  '2022-12-27', // Christmas Day (substitute day)
  '2023-05-08', // Bank holiday for the coronation of King Charles III
  '2027-12-27', // Christmas Day (substitute day)
  '2027-12-28', // Boxing Day (substitute day)
]
// The usual Mondays those moves replaced: not bank holidays in those years.
const MUST_NOT_HAVE = ['2020-05-04', '2022-05-30']
// Days gov.uk lists that date-holidays lacks, each with a comment citing gov.uk. None with 3.37.0.
const ADDED_BY_HAND: { date: IsoDate; name: string }[] = []

const outFile =
  process.argv[2] ??
  fileURLToPath(new URL('../../src/domain/calendar/englandAndWalesBankHolidays.json', import.meta.url))

// 'public' only: the other GB types are observances (Mother's Day, Easter Sunday ...), not days off.
const hd = new Holidays('GB', 'ENG', { types: ['public'] })

const holidays: { date: IsoDate; name: string }[] = []
for (let year = FROM_YEAR; year <= TO_YEAR; year++) {
  for (const h of hd.getHolidays(year)) {
    const date = parseIsoDate(h.date.slice(0, 10)) // 'YYYY-MM-DD hh:mm:ss', already local to the UK
    // date-holidays also lists the Saturday/Sunday a holiday fell on before its substitute day;
    // gov.uk lists only the weekday that is actually the bank holiday, and weekends are closed anyway.
    if (isWeekend(date)) continue
    holidays.push({ date, name: h.name })
  }
}
holidays.push(...ADDED_BY_HAND.filter(extra => !holidays.some(h => h.date === extra.date)))
holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))

const dates = new Set<string>(holidays.map(h => h.date))
const missing = MUST_HAVE.filter(d => !dates.has(d))
const unexpected = MUST_NOT_HAVE.filter(d => dates.has(d))
if (missing.length > 0 || unexpected.length > 0) {
  throw new Error(
    `date-holidays disagrees with gov.uk: missing ${missing.join(', ')}; unexpected ${unexpected.join(', ')}`,
  )
}

const data = {
  source: `date-holidays ${dateHolidaysPackage.version} (npm), country GB, state ENG, type public, weekend dates dropped${ADDED_BY_HAND.length > 0 ? `, ${ADDED_BY_HAND.length} days added by hand` : ''}; checked against https://www.gov.uk/bank-holidays (england-and-wales)`,
  generatedFor: { division: 'england-and-wales', fromYear: FROM_YEAR, toYear: TO_YEAR },
  holidays,
}
const options = (await prettier.resolveConfig(outFile)) ?? {}
writeFileSync(outFile, await prettier.format(JSON.stringify(data, null, 2), { ...options, parser: 'json' }))
process.stdout.write(`Wrote ${holidays.length} bank holidays ${FROM_YEAR}-${TO_YEAR} to ${outFile}\n`)
