"""Anti-trafficking (TPPO) awareness bot for Kalimantan Timur."""
