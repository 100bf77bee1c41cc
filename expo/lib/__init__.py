"""Small building blocks shared by every app, with no models and no knowledge of the apps (the lowest floor)."""
