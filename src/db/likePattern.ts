/**
 * A LIKE pattern matching text that starts with `typed`, taken literally: a typed `%` or `_` would
 * otherwise match anything (a search for "%" listed every child). Backslash is LIKE's escape character
 * by default in PostgreSQL.
 */
export const startsWithPattern = (typed: string) => `${typed.replace(/[\\%_]/g, c => `\\${c}`)}%`
