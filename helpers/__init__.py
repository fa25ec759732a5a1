"""Helpers for the book Neural Networks in Python: datasets, plots and checks the chapters use.

Modules, by topic:

- ``helpers.datasets``: the book's datasets, verified by checksum (``load_titanic()``, ...)
- ``helpers.activations``: activation functions in NumPy and their gallery (chapter 1)
- ``helpers.network``: drawings of a Keras model (``plot_network``, ``plot_model_diagram``)
- ``helpers.diagrams``: diagrams of a method (``plot_backprop_chain``, chapter 2)
- ``helpers.training``: training curves (``plot_history``)
- ``helpers.evaluation``: confusion matrix, image grids, decision regions
- ``helpers.metrics``: precision, recall, F1 and R² as Keras metric functions
- ``helpers.explain``: SHAP explanations of single predictions and summaries
- ``helpers.exercises``: self-checks for the chapters' exercises (``check``)
- ``helpers.models``: loading a model file: refused on a Keras with a published safe_mode bypass,
  and a one-line reason when the file is damaged or names a class this session lacks

Importing this package is cheap: TensorFlow, Keras, shap, pandas and matplotlib are imported
only inside the functions that need them.
"""

from helpers.environment import environment_report, quiet_native_logs

__all__ = ["environment_report", "quiet_native_logs"]
