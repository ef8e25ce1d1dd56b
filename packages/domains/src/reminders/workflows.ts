// Deterministic workflow code for the reminders domain.
