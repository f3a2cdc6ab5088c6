"""Follow-up reports: the UPR voluntary mid-term report, the SWG yearly report and the
action-plan progress of a workshop, as of any day, in HTML, PDF, DOCX and XLSX."""
