"""Reminders: rules, the daily sweep, digests, the outbox and its delivery, the scheduler."""
