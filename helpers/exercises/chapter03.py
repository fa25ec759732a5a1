"""Chapter 3, deep networks: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "03.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE2MX0=",
        "hidden_sizes(14) gives the two layer sizes; each Dense layer has inputs x units + units "
        "parameters, and dropout has none",
    ),
    "03.2": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDQ2fQ==",
        "validation_split=0.2 keeps ceil(0.2 x 455) rows aside; each epoch makes one update per "
        "batch of 16 of the remaining rows (round up)",
    ),
    "03.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAxMiwgInJlbCI6IDAuMDV9",
        "R² = 1 - sum((y_test - y_mean)²) / sum((y_test - y_test.mean())²), with y_mean the "
        "mean of the training targets",
        tempting=((0.0, "the R² of the test targets' own mean, not of the training mean"),),
    ),
    "03.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDguMCwgImxvdyI6IDIuMCwgImhpZ2giOiAyMC4wfQ==",
        "the history's val_loss holds one value per epoch: int(np.argmin(history['val_loss'])) + 1 "
        "(epochs count from 1, indexes from 0)",
    ),
}
