import { describe, expect, it } from 'vitest'
import { namedStatement, queryConfig } from './database.js'

describe('named statements', () => {
  it('sends a named statement with its name, and any other statement unnamed', () => {
    const sql = namedStatement('test_named_one', 'select $1::int as n')
    expect(queryConfig(sql, [1])).toEqual({ name: 'test_named_one', text: 'select $1::int as n', values: [1] })
    expect(queryConfig('select 2', [])).toEqual({ text: 'select 2', values: [] })
  })

  it('refuses one name for two texts, or two names for one text (a name must always mean one statement)', () => {
    namedStatement('test_named_two', 'select 2 as n')
    expect(namedStatement('test_named_two', 'select 2 as n')).toBe('select 2 as n')
    expect(() => namedStatement('test_named_two', 'select 3 as n')).toThrow(/taken/)
    expect(() => namedStatement('test_named_other', 'select 2 as n')).toThrow(/already named/)
  })
})
