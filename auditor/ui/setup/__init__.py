"""The set-up wizard: from a new, empty database to a working organisation, in the app.

One page per module; ``wizard.SetupWizard`` strings them together. Every page stores what it adds at
once (through the services, on the background runner), so quitting half-way loses nothing.
"""
