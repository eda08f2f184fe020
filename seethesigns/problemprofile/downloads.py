"""The profile's figures as CSV and ODS: small numbers suppressed, no cell read as a formula.

A spreadsheet runs a cell that begins with =, +, -, @, a tab or a carriage return as a formula
(OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection). Every text cell
that begins so is written with a ' in front. Counts are written as text too: after suppression a
cell may say "fewer than 5", and a column of mixed numbers and words sorts badly.
"""

import csv
import io

from seethesigns.problemprofile.suppression import Published

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS) else value


def as_csv(tables: list[Published], heading: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in heading:
        writer.writerow([safe(line)])
    for table in tables:
        writer.writerow([])
        writer.writerow([safe(table.title)])
        writer.writerow([safe("Source: " + table.source)])
        writer.writerow([safe(cell) for cell in table.header])
        for row in table.rows:
            writer.writerow([safe(cell) for cell in row])
    # A byte-order mark so that spreadsheets open the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def as_ods(tables: list[Published], heading: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()

    def row_of(cells: list[str]) -> TableRow:
        row = TableRow()
        for value in cells:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=safe(value)))
            row.addElement(cell)
        return row

    about = Table(name="About")
    for line in heading:
        about.addElement(row_of([line]))
    document.spreadsheet.addElement(about)
    for number, table in enumerate(tables, start=1):
        sheet = Table(name=f"{number} {table.key}"[:31])
        sheet.addElement(row_of([table.title]))
        sheet.addElement(row_of(["Source: " + table.source]))
        sheet.addElement(row_of(table.header))
        for row in table.rows:
            sheet.addElement(row_of(row))
        document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
