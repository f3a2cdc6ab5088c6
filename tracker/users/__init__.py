"""Accounts: creation and management, shared by the CLI and the admin pages."""
