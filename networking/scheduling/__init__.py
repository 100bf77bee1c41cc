"""The B2B meeting scheduler: the instance from the database, the pure solver, quality, runs."""
