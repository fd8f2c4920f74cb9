// Python's csv.reader / csv.DictReader for the datasets' annotation files (FER2013, GTSRB):
// excel dialect (double quotes, "" inside quotes), a chosen delimiter, skipinitialspace.

export interface CsvDialect {
  delimiter?: string;
  skipInitialSpace?: boolean;
}

/** csv.reader's rows of `text` (blank lines give [] rows, as Python's). */
export function csvRows(text: string, { delimiter = ',', skipInitialSpace = false }: CsvDialect = {}): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (row.length || field.length || !atFieldStart) row.push(field);
      rows.push(row);
      [row, field, atFieldStart] = [[], '', true];
    } else if (c === ' ' && atFieldStart && skipInitialSpace) {
      // skipped
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (row.length || field.length || !atFieldStart) row.push(field), rows.push(row);
  return rows;
}

/** csv.DictReader's rows: the first row names the fields; blank rows are skipped. */
export function csvDicts(text: string, dialect: CsvDialect = {}): Record<string, string>[] {
  const rows = csvRows(text, dialect).filter((r) => r.length > 0);
  const header = rows.shift() ?? [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i]]).filter(([, v]) => v !== undefined)));
}
