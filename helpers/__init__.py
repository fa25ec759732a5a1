"""Helpers for the book Neural Networks in Python: datasets, plots and checks the chapters use.

Importing this package is cheap: TensorFlow, Keras and shap are imported only inside the
functions that need them.
"""

from helpers.environment import environment_report

__all__ = ["environment_report"]
