"""Identity pages: signing in and out, registration, invitations, profile, people."""
