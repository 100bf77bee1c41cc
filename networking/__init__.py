"""B2B networking: spaces, tables, slots, profiles, meeting requests, meetings and the scheduler."""
