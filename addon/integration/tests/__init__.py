"""Tests of the Wactorz companion integration."""
