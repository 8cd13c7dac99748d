// Unit tests of the CSV parser used by the exam-score data table (pure JS, no engine needed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, parseNumber, toCsv } from '../../web/widgets/csv.js';

test('parseNumber accepts plain decimals only', () => {
  assert.equal(parseNumber('4'), 4);
  assert.equal(parseNumber(' -3.5 '), -3.5);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('1e2'), 100);
  for (const bad of ['', ' ', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '4 5', '1e999', '--1']) {
    assert.equal(parseNumber(bad), null, `"${bad}" must be rejected`);
  }
});

test('header is optional', () => {
  const withHeader = parseCsv('hours,score\n4,75\n2,60\n');
  assert.deepEqual(withHeader.rows, [[4, 75], [2, 60]]);
  assert.deepEqual(withHeader.header, ['hours', 'score']);
  assert.deepEqual(withHeader.errors, []);
  const without = parseCsv('4,75\n2,60');
  assert.deepEqual(without.rows, [[4, 75], [2, 60]]);
  assert.equal(without.header, null);
});

test('bad rows are reported by line number and skipped, never silently dropped', () => {
  const r = parseCsv('hours,score\n4,75\nabc,70\n5\n6,80,1\n7,\n8,"90"\n');
  assert.deepEqual(r.rows, [[4, 75], [8, 90]]);
  assert.deepEqual(r.lines, [2, 7], 'the line of every kept row');
  assert.deepEqual(r.errors.map((e) => e.line), [3, 4, 5, 6]);
  assert.equal(r.errors[0].message, "line 3: 'abc' is not a number");
  assert.match(r.errors[1].message, /^line 4: expected 2 values \(hours, score\), found 1$/);
  assert.match(r.errors[2].message, /^line 5: expected 2 values/);
  assert.equal(r.errors[3].message, 'line 6: the score value is empty');
});

test('line numbers count blank lines, comments and CRLF line ends', () => {
  const r = parseCsv('# my data\r\n\r\n1,2\r\n1,x\r\n');
  assert.deepEqual(r.rows, [[1, 2]]);
  assert.equal(r.errors[0].message, "line 4: 'x' is not a number");
});

test('a non-numeric first line is a header only when no field is numeric', () => {
  const r = parseCsv('abc,70\n4,75');
  assert.equal(r.header, null);
  assert.equal(r.errors[0].message, "line 1: 'abc' is not a number");
  assert.deepEqual(r.rows, [[4, 75]]);
});

test('tab- and semicolon-separated paste works', () => {
  assert.deepEqual(parseCsv('hours\tscore\n4\t75\n').rows, [[4, 75]]);
  assert.deepEqual(parseCsv('4;75\n2;60').rows, [[4, 75], [2, 60]]);
});

test('row limit is enforced and reported', () => {
  const text = Array.from({ length: 1005 }, (_, i) => `${i},${i}`).join('\n');
  const r = parseCsv(text);
  assert.equal(r.rows.length, 1000);
  assert.equal(r.truncated, true);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /^line 1001: more than 1000 rows/);
  assert.equal(parseCsv('1,1\n2,2\n3,3', { maxRows: 2 }).rows.length, 2);
});

test('long bad fields are shortened in messages', () => {
  const r = parseCsv(`${'z'.repeat(100)},1`);
  assert.ok(r.errors[0].message.length < 60);
});

test('toCsv round-trips', () => {
  const rows = [[1.5, 60], [4, 75]];
  assert.deepEqual(parseCsv(toCsv(rows)).rows, rows);
});

test('empty or missing input gives no rows and no errors', () => {
  assert.deepEqual(parseCsv('').rows, []);
  assert.deepEqual(parseCsv(undefined).errors, []);
});
