let raised = 0

/**
 * Words of concern no earlier raise used. Concern takes the same raise sent again, while its records
 * are open, as one sent twice (a double click, the back button) and gives back those records; tests
 * that raise one record after another for the same child give each its own words.
 */
export function newConcern(words = 'The plan has drifted.'): string {
  raised += 1
  return `${words} (${raised})`
}
