"""A focal point's workspace: what is assigned to their body, most urgent first."""
