// Deterministic workflow code for the training domain.
