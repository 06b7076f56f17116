# Models arrive with this initiative's issue.
