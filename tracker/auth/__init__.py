"""Signing in and out; loading the signed-in user."""
