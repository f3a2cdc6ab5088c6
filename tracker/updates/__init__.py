"""Status updates: submitting, reviewing, and deriving a recommendation's status."""
