// Tables of the certifications domain.
