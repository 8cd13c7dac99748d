// CSV of numeric columns (e.g. "hours,score"), parsed for the data-table widgets.
// Pure: no DOM, no engine, so it runs (and is tested) in Node as well as in the browser.
//
// Rules a learner can predict:
//  - a header line is optional: the first non-empty line is taken as a header when none of its
//    fields is a number;
//  - fields are separated by commas (or tabs / semicolons, for paste from a spreadsheet);
//  - a row that cannot be used is skipped AND reported with its 1-based line number, e.g.
//    "line 3: 'abc' is not a number" — nothing is dropped silently;
//  - blank lines and lines starting with '#' are ignored;
//  - at most `maxRows` rows are kept; the cut is reported.

/** A plain decimal number: 12, -3.5, .5, 1e3. Rejects '', '0x10', 'Infinity', '1,5'. */
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses one field as a finite number.
 * @param {string} text
 * @returns {number|null} the number, or null when the text is not a plain finite decimal number.
 */
export function parseNumber(text) {
  const s = String(text).trim();
  if (!NUMBER_PATTERN.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** Strips one pair of surrounding double quotes ("4.5" -> 4.5), as spreadsheets write them. */
function unquote(field) {
  const s = field.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).trim() : s;
}

/** Picks the separator of a line: tab or semicolon when present and no comma, else comma. */
function splitFields(line) {
  if (!line.includes(',')) {
    if (line.includes('\t')) return line.split('\t');
    if (line.includes(';')) return line.split(';');
  }
  return line.split(',');
}

/** Shortens a field for an error message so a pasted paragraph does not flood the page. */
function quoteForMessage(field) {
  const s = field.length > 24 ? `${field.slice(0, 21)}...` : field;
  return `'${s}'`;
}

/**
 * Parses CSV text of `columns` numeric columns.
 * @param {string} text
 * @param {{columns?: number, maxRows?: number, names?: string[]}} [options]
 *   names: column names used in messages (default ['hours', 'score']).
 * @returns {{rows: number[][], lines: number[], header: string[]|null,
 *            errors: {line: number, message: string}[], truncated: boolean}}
 *   lines[i] is the 1-based line of rows[i]; errors[i].message already starts with "line N: ".
 */
export function parseCsv(text, options = {}) {
  const columns = options.columns ?? 2;
  const maxRows = options.maxRows ?? 1000;
  const names = options.names ?? ['hours', 'score'];
  const rows = [];
  const rowLines = [];
  const errors = [];
  let header = null;
  let truncated = false;
  let seenContent = false;

  const lines = String(text ?? '').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = splitFields(raw).map(unquote);
    const numbers = fields.map(parseNumber);

    if (!seenContent) {
      seenContent = true;
      if (numbers.every((v) => v === null)) {
        header = fields;
        continue;
      }
    }
    const report = (message) => errors.push({ line: lineNo, message: `line ${lineNo}: ${message}` });

    if (fields.length !== columns) {
      report(`expected ${columns} values (${names.join(', ')}), found ${fields.length}`);
      continue;
    }
    const bad = numbers.findIndex((v) => v === null);
    if (bad >= 0) {
      const field = fields[bad];
      report(field === '' ? `the ${names[bad] ?? `column ${bad + 1}`} value is empty`
                          : `${quoteForMessage(field)} is not a number`);
      continue;
    }
    if (rows.length >= maxRows) {
      truncated = true;
      report(`more than ${maxRows} rows; this row and the rest were skipped`);
      break;
    }
    rows.push(numbers);
    rowLines.push(lineNo);
  }
  return { rows, lines: rowLines, header, errors, truncated };
}

/**
 * Writes rows back as CSV with a header line (the inverse of parseCsv for clean data).
 * @param {number[][]} rows
 * @param {string[]} [names]
 */
export function toCsv(rows, names = ['hours', 'score']) {
  return [names.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}
