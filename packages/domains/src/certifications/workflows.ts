// Deterministic workflow code for the certifications domain.
