"""The register: recommendations, their clusters and assignments (views, queries, services)."""
