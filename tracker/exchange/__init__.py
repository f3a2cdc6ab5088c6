"""Export and import of the register in one format (CSV or XLSX), shared by the CLI and the web."""
