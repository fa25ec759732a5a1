"""Chapter 6, MNIST basics: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "06.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI1NDUwfQ==",
        "each of the 32 neurons has 784 weights and a bias; each of the 10 outputs has 32 weights "
        "and a bias (or build the model and call count_params())",
    ),
    "06.2": Exercise(
        "numbers",
        "eyJ2YWx1ZSI6IFswLjYsIDAuOV0sICJyZWwiOiAwLjAxfQ==",
        "count TP, FP and FN with 'poisonous' as the positive class; precision = TP / (TP + FP), "
        "recall = TP / (TP + FN); answer [precision, recall] in that order",
    ),
    "06.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTEsICJsb3ciOiAwLjg4LCAiaGlnaCI6IDAuOTR9",
        "compile build_model() with optimizer='adam', fit 5 epochs with batch_size=100 and "
        "validation_data=(x_val, y_val), and read history.history['val_accuracy'][-1]",
    ),
}
