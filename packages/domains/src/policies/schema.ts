// Tables of the policies domain.
