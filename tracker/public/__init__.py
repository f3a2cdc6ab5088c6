"""The optional public transparency page: published recommendations, read-only, rate-limited."""
