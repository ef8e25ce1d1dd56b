// Deterministic workflow code for the policies domain.
