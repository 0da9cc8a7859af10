"""Kalimantan Timur TPPO statistics: understanding questions, answering, and charts."""
