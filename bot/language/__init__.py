"""Indonesian language processing: normalising, stemming, spelling, and matching questions."""
