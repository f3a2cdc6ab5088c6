"""Loading the seed data in seeds/ (the transcription of the source documents) and demo accounts."""
