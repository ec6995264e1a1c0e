import { type SQL, sql } from "drizzle-orm";

/**
 * The FTS5 queries of a search, built from the words of `q` (letters and digits only, so no FTS5
 * syntax reaches the engine). Every word is required, and matches the indexed terms it is a
 * prefix of, as `"word"*` does (ADR 0011).
 *
 * Without a prefix index, FTS5 answers `"word"*` by reading and merging the whole list of every
 * term with that prefix before it returns the first row: a word in a tenth of the catalogue
 * costs a tenth of the catalogue (ADR 0036). A list of exact terms is walked lazily instead,
 * from the newest row, and stops after a page. So a ranked search first expands each word to
 * the terms that start with it, through `products_fts_terms` (fts5vocab), and asks for those.
 */

/** More terms than this under one prefix, and the word stays a prefix query. */
export const MAX_TERMS_PER_WORD = 16;

/** A word as FTS5 syntax: quoted, prefix-matched. */
export const prefixQuery = (word: string): string => `"${word}"*`;

/**
 * Whether the index's term for `word` is known without the tokenizer: unicode61 lowercases ASCII
 * letters and keeps ASCII letters and digits as they are. Other scripts go through case folding
 * and diacritic removal that only FTS5 itself reproduces exactly, so they stay prefix queries.
 */
const expandsExactly = (word: string): boolean => /^[A-Za-z0-9]+$/.test(word);

/** Which rows a group of the ranked search holds, as an FTS5 operator before the name filter. */
export type NameMatch = "AND" | "NOT";

/**
 * The FTS5 query of one group of the ranked search, as an SQL expression evaluated by D1 in the
 * same statement: `(every word) AND {name} : (any word)` for name matches, `NOT` for the rest.
 *
 * Each word becomes `("term1" OR "term2" ...)` when between 1 and MAX_TERMS_PER_WORD index terms
 * start with it, and stays `"word"*` otherwise, which matches the same rows (none, when no term
 * starts with it). Terms are found by seeking the vocabulary: the first term at or after the
 * word, then the first after that term, until one no longer starts with the word.
 */
export function rankedGroupMatch(words: readonly string[], nameMatch: NameMatch): SQL {
  const wordsJson = JSON.stringify(
    words.map((word) => (expandsExactly(word) ? [word.toLowerCase(), 1] : [word, 0])),
  );
  const cap = sql.raw(String(MAX_TERMS_PER_WORD));
  // The next term is the first at or after `term || char(1)`, which sorts after the term and
  // before any longer one (a term holds no control character). `term > found.term` would
  // start at the term itself and read every one of its occurrences first.
  return sql`(WITH RECURSIVE
    words(position, word, expands) AS (
      SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${wordsJson})
    ),
    found(position, word, term, seen) AS (
      SELECT position, word, (SELECT term FROM products_fts_terms WHERE term >= word LIMIT 1), 1
      FROM words WHERE expands
      UNION ALL
      SELECT position, word,
        (SELECT term FROM products_fts_terms WHERE term >= found.term || char(1) LIMIT 1), seen + 1
      FROM found WHERE seen <= ${cap} AND substr(term, 1, length(word)) = word
    ),
    word_queries(query) AS (
      SELECT CASE WHEN count(found.term) BETWEEN 1 AND ${cap}
        THEN '(' || group_concat('"' || replace(found.term, '"', '""') || '"', ' OR ') || ')'
        ELSE '"' || words.word || '"*' END
      FROM words LEFT JOIN found ON found.position = words.position
        AND substr(found.term, 1, length(words.word)) = words.word
      GROUP BY words.position
    )
    SELECT '(' || group_concat(query, ' AND ') || ') ' || ${nameMatch} || ' {name} : ('
      || group_concat(query, ' OR ') || ')'
    FROM word_queries)`;
}
