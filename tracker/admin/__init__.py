"""The secretariat's and administrators' management pages: bodies, clusters, accounts."""
