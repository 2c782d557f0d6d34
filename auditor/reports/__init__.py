"""Documents made from plain data: PDF summaries and the QA report (reportlab), spreadsheet and CSV
exports (pandas, openpyxl). No Qt and no database here: the services gather the data into the
dataclasses of ``auditor.reports.data`` and call the writers.

Importing this package is cheap; reportlab and pandas load only in the writer modules.
"""
