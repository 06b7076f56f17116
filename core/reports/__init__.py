"""The report machinery every app builds on: the registry and Report/Column/Section/ReportData (registry.py), the
XLSX and PDF formatters (formatters.py), the base parameter form (forms.py), and their templates in
core/templates/core/reports/."""
