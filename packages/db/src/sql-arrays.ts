/**
 * A text[] as a Postgres array literal, every element quoted, so commas, braces and the word NULL
 * stay text. For columns of ragged lists (a reader's topics, a paper's matched topics) sent as one
 * text[] of literals beside other unnest() arrays, since unnest cannot take a ragged text[][].
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
